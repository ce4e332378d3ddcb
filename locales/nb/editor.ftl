# Tavla's editor pages at /admin, in bokmål. Every key has its twin in ../nn/editor.ftl.

editor-title = Redaktør
editor-brand = Tavla – redaktør
editor-nav = Redaktør
editor-notices = Kunngjøringer
editor-new-notice = Ny kunngjøring
editor-see-site = Se nettstedet
editor-signed-in-as = Innlogget som
editor-administrator = administrator
editor-sign-out = Logg ut

## Signing in

sign-in = Logg inn
sign-in-lead = Lim inn tilgangsnøkkelen du har fått (den begynner med <code>tavla_</code>). En administrator lager nøkler med <code>tavla token create</code>.
sign-in-token = Tilgangsnøkkel
sign-in-throttled = For mange mislykkede forsøk. Vent { $seconds } sekunder.
sign-in-refused = Nøkkelen er ikke gyldig, er utløpt eller trukket tilbake.
sign-in-unavailable = Innloggingen virker ikke akkurat nå. Prøv igjen om litt.
sign-out-failed-heading = Du er ikke logget ut
sign-out-failed-text = Utloggingen virker ikke akkurat nå. Prøv igjen om litt, eller lukk nettleseren.

## The list

list-show = Vis
list-all = Alle
list-published = Publiserte
list-drafts = Utkast
list-withdrawn = Trukket tilbake
list-empty = Ingen kunngjøringer her.
list-more = Flere
list-caption = Kunngjøringene du kan redigere, nyeste først
list-title = Tittel
list-kind = Type
list-state = Tilstand
list-publishing = Publisering
list-withdrawn-done = Kunngjøringen er trukket tilbake.

state-draft = Utkast
state-withdrawn = Trukket tilbake
state-scheduled = Planlagt
state-published = Publisert

## The form

form-edit = Rediger: { $title }
form-saved = Lagret.
form-fix-fields = Rett opp feltene som er merket ({ $count }).
form-preview = Forhåndsvisning
form-preview-unsaved = Forhåndsvisning – ikke lagret
form-public-page = Offentlig side:
form-kind = Type
form-kind-fixed = Typen kan ikke endres.
form-title = Tittel
form-title-hint = Én linje, høyst 200 tegn.
form-summary = Sammendrag
form-summary-hint = Ren tekst, høyst 2000 tegn. Vises i feeder og lister.
form-body = Brødtekst (valgfri)
form-body-hint = Markdown.
form-source = Kilde (valgfri)
form-source-hint = Full adresse, https://…
form-areas = Områder
form-publishing = Publisering
form-state = Tilstand
form-state-published = Publisert (eller planlagt, med tidspunkt fram i tid)
form-state-draft = Utkast
form-state-withdrawn = Trukket tilbake
form-published-at = Publiseres
form-published-at-hint = Norsk tid. Tomt: nå. Fram i tid: kunngjøringen vises først da.
form-grant = Tilskudd
form-deadline = Søknadsfrist
form-deadline-hint = Norsk tid. Tomt: løpende.
form-amount = Beløp i kroner (valgfritt)
form-applicants = Hvem kan søke
form-applicants-hint = Skill med komma, f.eks. kommuner, helseforetak.
form-apply-url = Søknadslenke (valgfri)
form-webinar = Webinar
form-starts = Starter
form-starts-hint = Norsk tid.
form-ends = Slutter (valgfritt)
form-registration-url = Påmeldingslenke (valgfri)
form-cancelled = Avlyst
form-cancellation-note = Melding om avlysning
form-cancellation-note-hint = Bare for avlyste webinarer.
form-save = Lagre
form-show-preview = Forhåndsvis
form-withdraw = Trekk tilbake
form-withdraw-hint = Publikum får da en melding om at kunngjøringen er trukket tilbake; historikken beholdes.

## What went wrong

form-not-your-areas = Du har ikke tilgang til alle områdene som er valgt.
form-stale = Noen andre har endret kunngjøringen siden du åpnet den. Åpne den på nytt og gjør endringen igjen.
form-failed = Noe gikk galt hos oss; ingenting ble lagret. Prøv igjen om litt.
form-too-large-heading = Skjemaet er for stort
form-too-large-text = Teksten er for lang til å lagres. Kort den ned og prøv igjen.
no-access-heading = Ingen tilgang
no-access-text = Kunngjøringen har områder utenfor dine tilgangspakker.
editor-failed-heading = Noe gikk galt
editor-failed-text = Feilen er logget.
withdraw-stale-heading = Kunngjøringen er endret
withdraw-stale-text = Noen andre har endret kunngjøringen siden du åpnet den. Åpne den på nytt før du trekker den tilbake.
form-expired-heading = Skjemaet er utløpt
form-expired-text = Skjemaet hørte ikke til denne innloggingen. Gå tilbake, last inn siden på nytt og prøv igjen.

## Errors, required fields and confirmations

form-title-errors = Feil: { $heading }
form-required = må fylles ut
form-areas-required = velg minst ett
withdraw-confirm-heading = Trekke tilbake «{ $title }»?
withdraw-confirm = Ja, trekk tilbake
withdraw-cancel = Nei, gå tilbake til skjemaet

## The session's end

session-ends = Økta di går ut kl. { $time }. Forleng den, så du ikke mister det du skriver.
session-extend = Forleng økta
session-extended = Økta er forlenget til kl. { $time }.
session-extend-failed = Økta kunne ikke forlenges. Det du skriver, blir tatt vare på: lagre, og logg inn igjen om du blir bedt om det.
sign-in-draft-kept = Økta di gikk ut før skjemaet ble lagret. Det du skrev, er tatt vare på: logg inn igjen, så kommer du tilbake til skjemaet. Ingenting er lagret ennå.
form-draft-restored = Du er logget inn igjen. Her er det du skrev – ingenting er lagret ennå. Se over og lagre.

## Webhooks, for admins only

editor-webhooks = Webhooker
admin-only-heading = Bare for administratorer
admin-only-text = Denne siden kan bare administratorer bruke. Be en administrator om hjelp.
webhooks-lead = En webhook får beskjed om hver endring i det som er publisert: Tavla sender en POST, signert etter Standard Webhooks, til adressen.
webhooks-empty = Ingen webhooker ennå.
webhooks-caption = Webhookene, eldste først
webhook-deleted = Webhooken er slettet.
webhook-new = Legg til webhook
webhook-url = Adresse
webhook-description = Beskrivelse
webhook-filter = Får beskjed om
webhook-state = Tilstand
webhook-filter-all = alle
webhook-no-description = (ingen)
webhook-event-published = Publisert
webhook-event-updated = Endret
webhook-event-withdrawn = Trukket tilbake
webhook-enabled = Aktiv
webhook-disabled = Deaktivert
webhook-disabled-by-tavla = Deaktivert av Tavla: { $why }
webhook-disabled-gone = mottakeren svarte 410 Gone (adressen finnes ikke lenger)
webhook-disabled-failing = alle forsøk har mislyktes siden { $since }
webhook-disabled-failures = leveringene mislyktes

## Adding a webhook

webhook-form-lead = Velg hva webhooken skal få beskjed om. Hemmeligheten får du se én gang, når du har lagt den til.
webhook-form-url = Adresse
webhook-form-url-hint = Full adresse som tar imot POST, https://…
webhook-form-description = Beskrivelse (valgfri)
webhook-form-description-hint = Hvem den er for, eller hva den brukes til. Én linje, høyst 500 tegn.
webhook-form-events = Hendelser
webhook-form-kinds = Typer
webhook-form-areas = Områder
webhook-form-none-is-all = ingen valgt: alle
webhook-form-save = Legg til
webhook-form-cancel = Avbryt

## A webhook's page

webhook-heading = Webhook til { $url }
webhook-added = Webhooken er lagt til
webhook-rotated = Ny hemmelighet er laget
webhook-secret-once = Hemmeligheten vises bare nå, aldri igjen. Kopier den til mottakeren før du går fra siden.
webhook-secret = Hemmelighet
webhook-secret-hint = Med den sjekker mottakeren signaturen på hver levering.
webhook-rotated-old = Den gamle hemmeligheten signerer også i { $hours } timer til, fram til { $until }, så mottakeren rekker å bytte.
webhook-created-at = Lagt til
webhook-updated-at = Sist endret
webhook-enabled-done = Webhooken er aktivert.
webhook-disabled-done = Webhooken er deaktivert.
webhook-disable = Deaktiver
webhook-disable-hint = En deaktivert webhook får ingen leveringer; det som ennå ikke er levert, blir ikke sendt.
webhook-enable = Aktiver
webhook-enable-hint = Webhooken får beskjed om endringer igjen fra nå av.
webhook-rotate = Lag ny hemmelighet
webhook-rotate-hint = Den nye vises én gang. Den gamle signerer også i { $hours } timer til.
webhook-change-refused = Webhooken ble ikke endret. { $why }
webhook-delete = Slett webhooken
webhook-delete-heading = Slette webhooken til { $url }?
webhook-delete-text = Det som ennå ikke er levert til den, blir ikke sendt. Sletting kan ikke angres.
webhook-delete-confirm = Ja, slett webhooken
webhook-delete-cancel = Nei, gå tilbake til webhooken

## Its deliveries

webhook-deliveries = Leveringer
webhook-deliveries-lead = Nyeste først. Leveringene tas vare på i { $days } dager.
webhook-deliveries-empty = Ingen leveringer ennå.
webhook-deliveries-older = Eldre leveringer
webhook-deliveries-newest = Til de nyeste leveringene
webhook-delivery-pending = underveis
webhook-delivery-delivered = levert
webhook-delivery-cancelled = avbrutt
webhook-delivery-failed = ga opp
webhook-delivery-type = Hendelsestype
webhook-delivery-event-id = Hendelses-ID (webhook-id)
webhook-delivery-notice = Kunngjøring
webhook-delivery-notice-link = Åpne kunngjøringen
webhook-delivery-not-tried = Ikke forsøkt ennå.
webhook-attempts = Forsøk
webhook-attempt-number = Nr.
webhook-attempt-at = Tidspunkt
webhook-attempt-result = Svar
webhook-attempt-duration = Tid brukt
webhook-attempt-next = Neste forsøk
webhook-attempt-no-retry = ingen
webhook-attempt-status = HTTP-status { $status }
webhook-attempt-ms = { $ms } ms
webhook-attempt-timeout = Ikke noe svar innen 10 sekunder
webhook-attempt-no-connection = Fikk ikke forbindelse
webhook-attempt-redirect = Mottakeren sendte videre til en annen adresse, og det følger ikke Tavla
webhook-attempt-deleted = Webhooken var slettet
webhook-attempt-disabled = Webhooken var deaktivert
webhook-attempt-private = Adressen er lokal eller privat, og det er ikke tillatt
webhook-attempt-tavla = Feil hos Tavla; prøves igjen
webhook-attempt-failed = Forespørselen mislyktes
webhook-redeliver = Send igjen
webhook-redelivered = Hendelsen sendes igjen, med samme webhook-id. Den nye leveringen står øverst.

## Sources of imports, for admins only

editor-sources = Kilder
sources-lead = Tavla henter kunngjøringer fra disse feedene (RSS, Atom eller JSON Feed) med jevne mellomrom. Hver oppføring blir én kunngjøring, bare én gang. Endrer en redaktør en importert kunngjøring, står redaktørens versjon. Kilder legges til og endres gjennom API-et, /api/v1/admin/sources.
sources-empty = Ingen kilder ennå.
sources-caption = Kildene, eldste først
source-url = Feed
source-imports-as = Blir til
source-last-fetch = Sist hentet
source-next-fetch = Neste henting
source-imported = Importerte
source-actions = Handling
source-becomes = { $kind } i { $areas }, { $state }, på { $language }
source-as-drafts = som utkast
source-as-published = publisert med en gang
source-every = hentes hvert { $minutes }. minutt
source-every-hour = hentes hver time
source-every-hours = hentes hver { $hours }. time
source-never = aldri
source-fetch-now = Hent nå
source-fetched = Hentet. Nye kunngjøringer: { $created }. Oppdaterte: { $updated }.
source-fetch-failed = Hentingen mislyktes: { $what }. Se kilden i tabellen.
source-busy-heading = Kilden hentes allerede
source-busy-text = En henting av denne kilden pågår. Vent litt, og prøv igjen.
source-outcome-imported = Hentet
source-outcome-not-modified = Ikke endret siden sist
source-outcome-timeout = Fikk ikke svar i tide
source-outcome-no-connection = Fikk ikke kontakt med serveren
source-outcome-private-address = Adressen er privat, og private adresser er ikke tillatt
source-outcome-too-many-redirects = For mange omdirigeringer
source-outcome-too-large = Dokumentet er for stort
source-outcome-http-status = Serveren svarte med en feil
source-outcome-request-failed = Hentingen mislyktes
source-outcome-not-a-feed = Ikke en feed Tavla kan lese
source-outcome-failed = { $what } (HTTP { $status }); { $count } feil på rad
source-outcome-failed-unanswered = { $what }; { $count } feil på rad
form-imported-from = Importert fra
form-imported-editor-wins = Endrer du den her, står din versjon: senere endringer i kilden tas ikke inn.
