# E-mails about claims (src/mail/render.rs). Arguments most messages take: $claim (the
# claim's name), $domain (the customer's domain), $partner (the partner organisation).
# Dates read like "20 November 2026, 17:00 (Europe/Stockholm)".

mail-no-date = (no date set)
mail-product-subscription = { $product } (subscription { $subscription })
mail-claim-link = Claim: { $link }
mail-reviewer-comment = The reviewer's comment:
mail-support-comment = Support's comment:
mail-footer = This message was sent by the program operator's claims service (cpor).

mail-consent-request-subject = { $partner } asks to be recognised as your partner for { $domain }
mail-consent-request-greeting = Hello { $customer },
mail-consent-request-intro = { $partner } has asked to be recognised as the partner that helped { $domain } with:
mail-consent-request-data = If you agree, there is nothing to do. From { $window_end } the association becomes official and { $partner } will see usage and seat data for these workloads and subscriptions only: no e-mail, documents or other content of yours.
mail-consent-request-opt-out = To see the details, or to opt out before { $window_end }, open:
mail-consent-request-no-link = (the link is on its way in a separate message)
mail-consent-request-later = You can also opt out later through the same link; the association then ends.

mail-information-requested-subject = Action needed on your claim "{ $claim }"
mail-information-requested-body = Your claim "{ $claim }" for { $domain } needs your action.
mail-information-requested-reasons = The reviewer asks for: { $reasons }.
mail-information-requested-deadline = Answer by { $due }: add what is missing and resubmit the claim. Without an answer by then, the claim is rejected (no partner response).

mail-response-reminder-subject = Reminder: your claim "{ $claim }" needs an answer by { $due }
mail-response-reminder-body = Your claim "{ $claim }" for { $domain } is still waiting for your answer.
mail-response-reminder-reasons = The reviewer asked for: { $reasons }.
mail-response-reminder-deadline = Resubmit it by { $due }, or it will be rejected (no partner response).

mail-approved-subject = Your claim "{ $claim }" is approved
mail-approved-body = Your claim "{ $claim }" for { $domain } is approved.
mail-approved-window = The customer has been told and may opt out until { $window_end }. After that the association is official and is sent for incentive eligibility evaluation.

mail-rejected-subject = Your claim "{ $claim }" is rejected
mail-rejected-body = Your claim "{ $claim }" for { $domain } is rejected.
mail-rejected-reasons = Reasons: { $reasons }.
mail-rejected-dispute = If you think this is wrong, you may dispute the rejection within { $days } days.

mail-superseded-subject = Your association "{ $claim }" has ended
mail-superseded-body = Your association "{ $claim }" for { $domain } has ended.
mail-superseded-why = Another partner claimed the same customer workload or subscription, and after comparing both partners' proof of execution the reviewer approved their claim.

mail-association-ended-subject = The customer ended your association "{ $claim }"
mail-association-ended-body = The customer { $domain } has opted out of your association "{ $claim }".
mail-association-ended-done = The association has ended.

mail-dispute-resolved-subject = Your dispute of "{ $claim }" is resolved
mail-dispute-resolved-body = Your dispute of the claim "{ $claim }" for { $domain } is resolved: { $outcome }.
mail-partly-superseded-subject = Part of your association "{ $claim }" moved to another partner
mail-partly-superseded-body = Another partner claimed some of the same customer workloads or subscriptions of { $domain }, and after comparing both partners' proof of execution the reviewer approved their claim for these:
mail-partly-superseded-keep = Your association keeps the other workloads and subscriptions of the claim.
mail-dispute-opened-subject = Dispute opened: "{ $claim }"
mail-dispute-opened-body = { $partner } disputes the rejection of its claim "{ $claim }" for { $domain }.
mail-dispute-opened-details = What the partner says:
mail-dispute-opened-due = The dispute is due by { $due }.
mail-arbitration-question-subject = A reviewer asks about your association "{ $claim }"
mail-arbitration-question-body = Another claim names some of what your association "{ $claim }" for { $domain } holds. Before deciding, the reviewer asks you for more. Your association stays as it is meanwhile.
mail-arbitration-question-how = Add your documents to the claim and answer on its page.
mail-comment-added-subject = A new comment on "{ $claim }"
mail-comment-added-body = There is a new comment on the claim "{ $claim }" for { $domain }.
mail-comment-heading = Comment:
mail-taken-over-subject = "{ $claim }" was taken over
mail-taken-over-body = Another reviewer took over the claim "{ $claim }" for { $domain } from you. You no longer have it in your work.
mail-arbitration-opened-subject = "{ $claim }": an arbitration has opened
mail-arbitration-opened-claimant = Your claim "{ $claim }" for { $domain } names products or subscriptions that another partner's association holds.
mail-arbitration-opened-claimant-then = A reviewer will decide between the two; if your claim is approved, those keys move to it. You may be asked for more proof meanwhile.
mail-arbitration-opened-holder = Another partner has claimed some of the products or subscriptions of your association "{ $claim }" for { $domain }.
mail-arbitration-opened-holder-then = A reviewer will decide; your association stays as it is meanwhile. You may be asked for more proof; answering helps keep it.
