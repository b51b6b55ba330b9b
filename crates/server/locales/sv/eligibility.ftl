# Uppslag av intäkter och behörighet.
nav-eligibility = Behörighet
eligibility-heading = Intäkter och behörighet
eligibility-help = Slå upp ett prenumerations-ID eller klientorganisations-ID för att se era associationer med det: programmet, fasen och datumen de räknades från och till.
eligibility-id = Prenumerations-ID eller klientorganisations-ID
eligibility-look-up = Slå upp
eligibility-bad-id = Ett prenumerations- eller klientorganisations-ID är ett GUID, till exempel 72f988bf-86f1-41af-91ab-2d7cd011db47.
eligibility-none = Ingen association har detta ID.
eligibility-what = Arbetsbelastning eller prenumeration
eligibility-from = Räknas från
eligibility-to = Räknades till
