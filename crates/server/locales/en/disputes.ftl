# Support's disputes queue.
nav-disputes = Disputes
disputes-heading = Disputes
disputes-caption = Open and in-progress disputes, the oldest due first. A dispute is handled on its claim's page.
disputes-empty = No dispute is open.
disputes-opened = Opened
dispute-status-open = Open
dispute-status-in_progress = In progress
dispute-status-upheld = Upheld
dispute-status-denied = Denied
