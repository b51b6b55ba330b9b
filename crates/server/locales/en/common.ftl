# Shared by every page: navigation, errors, dates.
skip-to-content = Skip to the content
nav-main = Main
nav-claims = Customer associations
nav-new-claim = New customer association
nav-keys = Association key check
nav-organisation = Organisation
nav-language = Language
sign-out = Sign out
footer-times = Times are shown in { $zone }.
back-home = Back to the start page

datetime = { $day } { $month } { $year }, { $time } ({ $zone })
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

role-global_admin = Global admin
role-incentives_admin = Incentives admin
role-incentives_user = Incentives user
role-billing_admin = Billing admin
role-reviewer = Reviewer
role-support_agent = Support agent
role-program_admin = Program admin

page-not-found-heading = Page not found
page-not-found-text = There is nothing here, or it is not yours to see.
page-forbidden-heading = Not permitted
page-forbidden-text = Your role does not allow this.
page-bad-form-heading = The form could not be accepted
page-bad-form-text = The form expired or was sent from another site. Go back, reload the page and try again.
page-conflict-heading = That cannot be done now
page-conflict-text = The claim changed or does not allow this in its current status. Go back and reload it.
page-unavailable-heading = Temporarily unavailable
page-unavailable-text = The service cannot reach its database. Try again in a moment.
page-failed-heading = Something went wrong
page-failed-text = It has been logged. Try again, or contact your program operator if it happens again.
