# The operator's side of a claim's page.
decide-heading = Review and decisions
action-start-review = Start the review
action-request-info = Request information
action-approve = Approve
action-reject = Reject
action-start-dispute = Take the dispute
action-resolve-dispute = Resolve the dispute
field-outcome = Outcome
facts-heading = Partner and tenant
fact-partner = Partner organisation
fact-domains = Verified domains
fact-subscription = Subscription ({ $product })
fact-tenant-unknown = The tenant is not in the directory.
preview-of = Preview of { $name }
notice-start = The review started.
notice-request_info = The partner was asked for information.
notice-approve = The claim was approved; the customer is being told.
notice-reject = The claim was rejected.
notice-dispute_start = The dispute is now in progress.
notice-dispute_resolve = The dispute was resolved.

# The review queue.
review-heading = Review queue
review-caption = Submitted and under-review claims, the oldest due first.
review-empty = No claim waits for review.
review-show = Show only
review-conflict = Conflict
review-age = Waiting
review-due = Due
review-sla = Service level
sla-breached = Breached
sla-due-today = Due today
sla-on-time = On time
age-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
field-product = Product
nav-review = Review queue
action-take = Take
action-take-over = Take over
reviewer-has = { $name } is working on this claim.
notice-take = You took the claim.
notice-take_over = You took the claim over.
review-who = Reviewer
review-mine = Mine
review-unassigned = Not taken

# More of the claims list.
filter-updated-from = Changed from
filter-updated-to = Changed until
filter-sort = Order
sort-newest = Newest first
sort-last_change = Last change first
sort-name = By name
filter-product = product
filter-updated_from = changed from
filter-updated_to = changed until

# Arbitration.
arbitration-heading = Competing claims
arbitration-help = Other partners want or hold some of what this claim names. Compare their proof of execution (the most recent weighs most) before you decide; you may ask either partner for information.
arbitration-holds = holds it now
arbitration-contested = contested
arbitration-confirm-legend = Arbitration
arbitration-confirm = I confirm that approving moves these from the other partner:
arbitration-loses = { $partner } loses { $keys } (claim "{ $claim }")
mail-digest-subject = { $count ->
    [one] A claim in the review queue is due
   *[other] { $count } claims in the review queue are due
}
mail-digest-intro = Claims in the review queue past their deadline or due by the end of the next business day: { $count }, of which { $breached } past due.
mail-digest-due = "{ $claim }" ({ $domain }), due { $due }
mail-digest-breached = "{ $claim }" ({ $domain }), PAST DUE since { $due }
mail-digest-opt-out = You receive this every business day morning. Turn it off on the review queue page: { $link }
review-digest-on = Each business day morning you get an e-mail of the claims due or past due.
review-digest-off = Your daily e-mail of claims due is off.
review-digest-turn-off = Turn it off
review-digest-turn-on = Turn it on
