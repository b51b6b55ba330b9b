nav-webhooks = Webhooks
webhooks-help = cpor POSTs each event you choose to your URL as JSON, signed the Standard Webhooks way: check the webhook-signature header (HMAC-SHA256 of webhook-id, webhook-timestamp and the body, keyed by the secret) and drop repeats by webhook-id. A failed delivery is retried for 24 hours; an endpoint that fails for 24 hours is disabled and you are e-mailed.
webhook-secret-shown-once = Copy this signing secret now: it is shown only this once.
webhooks-none = No webhook endpoint yet.
field-url = URL
field-events = Events
field-event-type = Event
webhook-state = State
webhook-enabled = Enabled
webhook-disabled = Disabled: { $why }
webhook-failing-since = Enabled, failing since { $since }
webhook-disable = Disable
webhook-enable = Enable
webhook-remove = Remove
webhook-new-heading = New endpoint
webhook-create = Add the endpoint
webhook-deliveries = Latest deliveries
webhook-no-deliveries = Nothing was sent to this endpoint yet.
webhook-queued = Queued
webhook-status = Status
webhook-attempts = Attempts
webhook-last-answer = Last answer
webhook-answer = { $answer } in { $ms } ms
webhook-redeliver = Send again
delivery-pending = Pending
delivery-delivered = Delivered
delivery-failed = Given up
mail-webhook-disabled-subject = A cpor webhook endpoint was disabled
mail-webhook-disabled-body =
    Your webhook endpoint { $url } has failed every delivery since { $since }, so cpor has disabled it.

    Its messages are kept. Once the receiver works again, enable the endpoint here and they will be sent:
    { $link }
