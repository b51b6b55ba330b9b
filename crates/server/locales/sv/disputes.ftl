# Supportens kö av bestridanden.
nav-disputes = Bestridanden
disputes-heading = Bestridanden
disputes-caption = Öppna och pågående bestridanden, den äldsta förfallotiden först. Ett bestridande hanteras på anspråkets sida.
disputes-empty = Inget bestridande är öppet.
disputes-opened = Öppnat
dispute-status-open = Öppet
dispute-status-in_progress = Pågår
dispute-status-upheld = Bifallet
dispute-status-denied = Avslaget
