# Tavla's editor pages at /admin, in nynorsk. Every key has its twin in ../nb/editor.ftl.

editor-title = Redaktør
editor-brand = Tavla – redaktør
editor-nav = Redaktør
editor-notices = Kunngjeringar
editor-new-notice = Ny kunngjering
editor-see-site = Sjå nettstaden
editor-signed-in-as = Innlogga som
editor-administrator = administrator
editor-sign-out = Logg ut

## Signing in

sign-in = Logg inn
sign-in-lead = Lim inn tilgangsnøkkelen du har fått (han byrjar med <code>tavla_</code>). Ein administrator lagar nøklar med <code>tavla token create</code>.
sign-in-token = Tilgangsnøkkel
sign-in-throttled = For mange mislukka forsøk. Vent { $seconds } sekund.
sign-in-refused = Nøkkelen er ikkje gyldig, har gått ut eller er trekt tilbake.
sign-in-unavailable = Innlogginga verkar ikkje akkurat no. Prøv igjen om litt.
sign-out-failed-heading = Du er ikkje logga ut
sign-out-failed-text = Utlogginga verkar ikkje akkurat no. Prøv igjen om litt, eller lukk nettlesaren.

## The list

list-show = Vis
list-all = Alle
list-published = Publiserte
list-drafts = Utkast
list-withdrawn = Trekte tilbake
list-empty = Ingen kunngjeringar her.
list-more = Fleire
list-caption = Kunngjeringane du kan redigere, nyaste først
list-title = Tittel
list-kind = Type
list-state = Tilstand
list-publishing = Publisering
list-withdrawn-done = Kunngjeringa er trekt tilbake.

state-draft = Utkast
state-withdrawn = Trekt tilbake
state-scheduled = Planlagd
state-published = Publisert

## The form

form-edit = Rediger: { $title }
form-saved = Lagra.
form-fix-fields = Rett opp felta som er merkte ({ $count }).
form-preview = Førehandsvising
form-preview-unsaved = Førehandsvising – ikkje lagra
form-public-page = Offentleg side:
form-kind = Type
form-kind-fixed = Typen kan ikkje endrast.
form-title = Tittel
form-title-hint = Éi linje, høgst 200 teikn.
form-summary = Samandrag
form-summary-hint = Rein tekst, høgst 2000 teikn. Blir vist i feedar og lister.
form-body = Brødtekst (valfri)
form-body-hint = Markdown.
form-source = Kjelde (valfri)
form-source-hint = Full adresse, https://…
form-areas = Område
form-publishing = Publisering
form-state = Tilstand
form-state-published = Publisert (eller planlagd, med tidspunkt fram i tid)
form-state-draft = Utkast
form-state-withdrawn = Trekt tilbake
form-published-at = Blir publisert
form-published-at-hint = Norsk tid. Tomt: no. Fram i tid: kunngjeringa blir vist først då.
form-grant = Tilskot
form-deadline = Søknadsfrist
form-deadline-hint = Norsk tid. Tomt: løpande.
form-amount = Beløp i kroner (valfritt)
form-applicants = Kven kan søkje
form-applicants-hint = Skil med komma, t.d. kommunar, helseføretak.
form-apply-url = Søknadslenkje (valfri)
form-webinar = Webinar
form-starts = Startar
form-starts-hint = Norsk tid.
form-ends = Sluttar (valfritt)
form-registration-url = Påmeldingslenkje (valfri)
form-cancelled = Avlyst
form-cancellation-note = Melding om avlysing
form-cancellation-note-hint = Berre for avlyste webinar.
form-save = Lagre
form-show-preview = Førehandsvis
form-withdraw = Trekk tilbake
form-withdraw-hint = Publikum får då ei melding om at kunngjeringa er trekt tilbake; historikken blir teken vare på.

## What went wrong

form-not-your-areas = Du har ikkje tilgang til alle områda som er valde.
form-stale = Nokon andre har endra kunngjeringa sidan du opna ho. Opne ho på nytt og gjer endringa igjen.
form-failed = Noko gjekk gale hos oss; ingenting vart lagra. Prøv igjen om litt.
form-too-large-heading = Skjemaet er for stort
form-too-large-text = Teksten er for lang til å lagrast. Kort han ned og prøv igjen.
no-access-heading = Ingen tilgang
no-access-text = Kunngjeringa har område utanfor tilgangspakkane dine.
editor-failed-heading = Noko gjekk gale
editor-failed-text = Feilen er logga.
withdraw-stale-heading = Kunngjeringa er endra
withdraw-stale-text = Nokon andre har endra kunngjeringa sidan du opna ho. Opne ho på nytt før du trekkjer ho tilbake.
form-expired-heading = Skjemaet har gått ut
form-expired-text = Skjemaet høyrde ikkje til denne innlogginga. Gå tilbake, last inn sida på nytt og prøv igjen.

## Errors, required fields and confirmations

form-title-errors = Feil: { $heading }
form-required = må fyllast ut
form-areas-required = vel minst eitt
withdraw-confirm-heading = Trekkje tilbake «{ $title }»?
withdraw-confirm = Ja, trekk tilbake
withdraw-cancel = Nei, gå tilbake til skjemaet

## The session's end

session-ends = Økta di går ut kl. { $time }. Forleng ho, så du ikkje mistar det du skriv.
session-extend = Forleng økta
session-extended = Økta er forlengd til kl. { $time }.
session-extend-failed = Økta kunne ikkje forlengjast. Det du skriv, blir teke vare på: lagre, og logg inn att om du blir beden om det.
sign-in-draft-kept = Økta di gjekk ut før skjemaet vart lagra. Det du skreiv, er teke vare på: logg inn att, så kjem du tilbake til skjemaet. Ingenting er lagra enno.
form-draft-restored = Du er logga inn att. Her er det du skreiv – ingenting er lagra enno. Sjå over og lagre.

## Webhooks, for admins only

editor-webhooks = Webhookar
admin-only-heading = Berre for administratorar
admin-only-text = Denne sida kan berre administratorar bruke. Be ein administrator om hjelp.
webhooks-lead = Ein webhook får melding om kvar endring i det som er publisert: Tavla sender ein POST, signert etter Standard Webhooks, til adressa.
webhooks-empty = Ingen webhookar enno.
webhooks-caption = Webhookane, eldste først
webhook-deleted = Webhooken er sletta.
webhook-new = Legg til webhook
webhook-url = Adresse
webhook-description = Skildring
webhook-filter = Får melding om
webhook-state = Tilstand
webhook-filter-all = alle
webhook-no-description = (inga)
webhook-event-published = Publisert
webhook-event-updated = Endra
webhook-event-withdrawn = Trekt tilbake
webhook-enabled = Aktiv
webhook-disabled = Deaktivert
webhook-disabled-by-tavla = Deaktivert av Tavla: { $why }
webhook-disabled-gone = mottakaren svarte 410 Gone (adressa finst ikkje lenger)
webhook-disabled-failing = alle forsøk har mislukkast sidan { $since }
webhook-disabled-failures = leveringane mislukkast

## Adding a webhook

webhook-form-lead = Vel kva webhooken skal få melding om. Hemmelegheita får du sjå éin gong, når du har lagt han til.
webhook-form-url = Adresse
webhook-form-url-hint = Full adresse som tek imot POST, https://…
webhook-form-description = Skildring (valfri)
webhook-form-description-hint = Kven han er for, eller kva han blir brukt til. Éi linje, høgst 500 teikn.
webhook-form-events = Hendingar
webhook-form-kinds = Typar
webhook-form-areas = Område
webhook-form-none-is-all = ingen valde: alle
webhook-form-save = Legg til
webhook-form-cancel = Avbryt

## A webhook's page

webhook-heading = Webhook til { $url }
webhook-added = Webhooken er lagd til
webhook-rotated = Ny hemmelegheit er laga
webhook-secret-once = Hemmelegheita blir vist berre no, aldri igjen. Kopier henne til mottakaren før du går frå sida.
webhook-secret = Hemmelegheit
webhook-secret-hint = Med henne sjekkar mottakaren signaturen på kvar levering.
webhook-rotated-old = Den gamle hemmelegheita signerer òg i { $hours } timar til, fram til { $until }, så mottakaren rekk å byte.
webhook-created-at = Lagd til
webhook-updated-at = Sist endra
webhook-enabled-done = Webhooken er aktivert.
webhook-disabled-done = Webhooken er deaktivert.
webhook-disable = Deaktiver
webhook-disable-hint = Ein deaktivert webhook får ingen leveringar; det som enno ikkje er levert, blir ikkje sendt.
webhook-enable = Aktiver
webhook-enable-hint = Webhooken får melding om endringar igjen frå no av.
webhook-rotate = Lag ny hemmelegheit
webhook-rotate-hint = Den nye blir vist éin gong. Den gamle signerer òg i { $hours } timar til.
webhook-change-refused = Webhooken vart ikkje endra. { $why }
webhook-delete = Slett webhooken
webhook-delete-heading = Slette webhooken til { $url }?
webhook-delete-text = Det som enno ikkje er levert til han, blir ikkje sendt. Slettinga kan ikkje angrast.
webhook-delete-confirm = Ja, slett webhooken
webhook-delete-cancel = Nei, gå tilbake til webhooken

## Its deliveries

webhook-deliveries = Leveringar
webhook-deliveries-lead = Nyaste først. Leveringane blir tekne vare på i { $days } dagar.
webhook-deliveries-empty = Ingen leveringar enno.
webhook-deliveries-older = Eldre leveringar
webhook-deliveries-newest = Til dei nyaste leveringane
webhook-delivery-pending = undervegs
webhook-delivery-delivered = levert
webhook-delivery-cancelled = avbroten
webhook-delivery-failed = gav opp
webhook-delivery-type = Hendingstype
webhook-delivery-event-id = Hendings-ID (webhook-id)
webhook-delivery-notice = Kunngjering
webhook-delivery-notice-link = Opne kunngjeringa
webhook-delivery-not-tried = Ikkje prøvd enno.
webhook-attempts = Forsøk
webhook-attempt-number = Nr.
webhook-attempt-at = Tidspunkt
webhook-attempt-result = Svar
webhook-attempt-duration = Tid brukt
webhook-attempt-next = Neste forsøk
webhook-attempt-no-retry = ingen
webhook-attempt-status = HTTP-status { $status }
webhook-attempt-ms = { $ms } ms
webhook-attempt-timeout = Ikkje noko svar innan 10 sekund
webhook-attempt-no-connection = Fekk ikkje samband
webhook-attempt-redirect = Mottakaren sende vidare til ei anna adresse, og det følgjer ikkje Tavla
webhook-attempt-deleted = Webhooken var sletta
webhook-attempt-disabled = Webhooken var deaktivert
webhook-attempt-private = Adressa er lokal eller privat, og det er ikkje tillate
webhook-attempt-tavla = Feil hos Tavla; blir prøvd igjen
webhook-attempt-failed = Førespurnaden mislukkast
webhook-redeliver = Send igjen
webhook-redelivered = Hendinga blir send igjen, med same webhook-id. Den nye leveringa står øvst.

## Sources of imports, for admins only

editor-sources = Kjelder
sources-lead = Tavla hentar kunngjeringar frå desse feedane (RSS, Atom eller JSON Feed) med jamne mellomrom. Kvar oppføring blir éi kunngjering, berre éin gong. Endrar ein redaktør ei importert kunngjering, står versjonen til redaktøren. Kjelder blir lagde til og endra gjennom API-et, /api/v1/admin/sources.
sources-empty = Ingen kjelder enno.
sources-caption = Kjeldene, eldste først
source-url = Feed
source-imports-as = Blir til
source-last-fetch = Sist henta
source-next-fetch = Neste henting
source-imported = Importerte
source-actions = Handling
source-becomes = { $kind } i { $areas }, { $state }, på { $language }
source-as-drafts = som utkast
source-as-published = publisert med ein gong
source-every = blir henta kvart { $minutes }. minutt
source-every-hour = blir henta kvar time
source-every-hours = blir henta kvar { $hours }. time
source-never = aldri
source-fetch-now = Hent no
source-fetched = Henta. Nye kunngjeringar: { $created }. Oppdaterte: { $updated }.
source-fetch-failed = Hentinga mislukkast: { $what }. Sjå kjelda i tabellen.
source-busy-heading = Kjelda blir alt henta
source-busy-text = Ei henting av denne kjelda er i gang. Vent litt, og prøv att.
source-outcome-imported = Henta
source-outcome-not-modified = Ikkje endra sidan sist
source-outcome-timeout = Fekk ikkje svar i tide
source-outcome-no-connection = Fekk ikkje kontakt med serveren
source-outcome-private-address = Adressa er privat, og private adresser er ikkje tillatne
source-outcome-too-many-redirects = For mange omdirigeringar
source-outcome-too-large = Dokumentet er for stort
source-outcome-http-status = Serveren svarte med ein feil
source-outcome-request-failed = Hentinga mislukkast
source-outcome-not-a-feed = Ikkje ein feed Tavla kan lese
source-outcome-failed = { $what } (HTTP { $status }); { $count } feil på rad
source-outcome-failed-unanswered = { $what }; { $count } feil på rad
form-imported-from = Importert frå
form-imported-editor-wins = Endrar du ho her, står versjonen din: seinare endringar i kjelda blir ikkje tekne inn.
