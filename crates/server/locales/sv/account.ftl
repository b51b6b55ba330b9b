# Signing in, passwords, invitations.
login-heading = Sign in to cpor
field-email = E-mail
field-password = Password
sign-in = Sign in
forgot-link = Forgot your password?
login-failed = The e-mail or the password is not right.
login-throttled = Too many attempts. Wait a few minutes, then try again.
notice-password-set = Your password is set. Sign in with it.
notice-signed-out = You are signed out, on every device.
notice-reset-sent = If an account uses that address, we have sent it a link to set a new password. The link works once, for one hour.
forgot-heading = Set a new password
forgot-text = Give the e-mail address of your account. We will send a link to set a new password.
forgot-send = Send the link
back-to-sign-in = Back to sign-in
reset-heading = Set a new password
invitation-heading = Welcome to cpor: choose your password
field-new-password = New password
field-confirm-password = The new password again
password-rule = At least { $min } characters.
set-password = Set the password
password-too-short = The password is too short.
password-too-long = The password is too long.
password-mismatch = The two passwords differ.
link-dead = This link no longer works: it was used, or it expired. Ask for a new one.
mail-reset-subject = Set a new cpor password
mail-reset-body =
    Someone asked to set a new password for your cpor account.

    Open this link to choose it (it works once, for one hour):
    { $link }

    If it was not you, ignore this e-mail: your password stays as it is.
mail-invitation-subject = Your cpor account
mail-invitation-body =
    An account on cpor, the customer association portal, was made for you.

    Open this link to choose your password (it works once, for 72 hours):
    { $link }
