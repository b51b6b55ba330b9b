# The earnings/eligibility lookup.
nav-eligibility = Eligibility
eligibility-heading = Earnings and eligibility
eligibility-help = Look a subscription ID or a tenant ID up to see your associations with it: the program, the phase and the dates it counted from and until.
eligibility-id = Subscription ID or tenant ID
eligibility-look-up = Look up
eligibility-bad-id = A subscription ID or a tenant ID is a GUID, such as 72f988bf-86f1-41af-91ab-2d7cd011db47.
eligibility-none = No association has this ID.
eligibility-what = Workload or subscription
eligibility-from = Counts from
eligibility-to = Counted until
