# Tavla's public pages, in bokmål. Every key has its twin in ../nn/pages.ftl.

## The frame of every page

skip-to-content = Hopp til innholdet
site-tagline = kunngjøringer fra Helsedirektoratet
site-title = Tavla – kunngjøringer fra Helsedirektoratet
subscribe = Abonner
subscribe-selection = Abonner på dette utvalget
calendar = Kalender
calendar-long = Kalender (webinarer og frister)
feed-calendar-title = Tavla (kalender)
json-api = JSON-API
api-description = API-beskrivelse
for-editors = For redaktører
language-switch = Språk
in-other-language = På nynorsk
to-front-page = Til forsiden

## The list

index-heading = Kunngjøringer fra Helsedirektoratet
index-lead = Tilskudd, webinarer og nyheter for kommuner og helsetjenesten.
filter-kind = Type
filter-all-kinds = Alle typer
filter-area = Område
filter-all-areas = Alle områder
filter-search = Søk
filter-show = Vis
more-notices = Flere kunngjøringer
no-notices = Ingen kunngjøringer.
only-stop-words = Søket inneholder bare ord som ikke søkes på (som «og» og «i»).

## The list's title: what it shows («Tilskudd, søk «demens», side 2»)

title-list = { $selection } – Kunngjøringer – Tavla
title-search = søk «{ $q }»
title-from = publisert fra { $date }
title-to = publisert til { $date }
title-page = side { $page }
title-problem = Feil: { $title }

## Filters in a page's address that could not be used

filter-ignored = { $field } ble ikke brukt: { $problem }.
param-kind = Typen
param-area = Området
param-language = Språket
param-q = Søket
param-status = Statusen
param-from = Fra-datoen
param-to = Til-datoen
param-cursor = Sidemerket
param-limit = Antallet
param-other = Et filter

## A notice

published = Publisert
areas = Områder
source = Kilde
apply-here = Søk her
register-here = Meld deg på

kind-grant = Tilskudd
kind-webinar = Webinar
kind-news = Nyhet

status-open = Åpen
status-closed = Stengt
status-upcoming = Kommende
status-past = Avholdt
status-cancelled = Avlyst

fact-deadline = Søknadsfrist: { $when }
fact-rolling = Søknadsfrist: løpende
fact-amount = Beløp: { $amount } kr
fact-applicants = Hvem kan søke: { $who }
fact-cancelled = Avlyst
fact-cancelled-note = Avlyst: { $note }
fact-time = Tidspunkt: { $when }
fact-status = Status: { $status }

## An area

area-no-description = Tilgangspakken har ingen beskrivelse ennå.
area-includes = Omfatter:
area-notices = Kunngjøringer

## Messages instead of a page

not-found-heading = Fant ikke siden
not-found-text = Vi fant ingen side på denne adressen.
withdrawn-heading = Kunngjøringen er trukket tilbake
withdrawn-text = Denne kunngjøringen er ikke lenger gjeldende.
unavailable-heading = Tavla er midlertidig utilgjengelig
unavailable-text = Databasen svarer ikke akkurat nå. Prøv igjen om litt.
server-error = Noe gikk galt hos oss. Feilen er logget.

## Feeds and the calendar

feed-description = Tilskudd, webinarer og nyheter fra Helsedirektoratet for kommuner og helsetjenesten.
calendar-deadline = Søknadsfrist: { $title }
calendar-registration = Påmelding: { $url }

## Languages a notice is written in

language = Språk
language-nb = Bokmål
language-nn = Nynorsk
language-se = Nordsamisk
language-en = Engelsk

## The accessibility statement

a11y-link = Tilgjengelighetserklæring
a11y-heading = Tilgjengelighetserklæring for Tavla
a11y-intro = Tavla skal kunne brukes av alle. Som nettsted for en statlig virksomhet skal det oppfylle kravene til universell utforming av nettløsninger: WCAG 2.1, nivå A og AA. Det gjelder også sidene for redaktører.
a11y-how-heading = Slik lager og tester vi sidene
a11y-how-pages = Sidene lages ferdig på serveren og virker uten JavaScript, på mobil og med forstørrelse. Alle sidene finnes på bokmål og nynorsk, med språket merket i sidene.
a11y-how-tests = Automatiske tester åpner sidene i en ekte nettleser (Chromium) og bruker skjemaene slik en leser og en redaktør gjør. Der kontrollerer axe-core hver slags side, også skjemaet med feilmeldinger, på bokmål og nynorsk mot WCAG 2.1 nivå A og AA, og testene feiler ved hvert brudd den finner. Fargene har god kontrast, også fokusmarkeringen. Egne tester bruker bare tastaturet: logge inn, rette flere feil i skjemaet, trekke tilbake en kunngjøring og bytte språk.
a11y-gaps-heading = Det vi vet ikke er godt nok ennå
a11y-gap-areas = Navnene på områdene (for eksempel «Helsetjenester») kommer fra kildedataene og står på bokmål også på de nynorske sidene.
a11y-gap-people = Sidene er ennå ikke prøvd av brukere med skjermleser eller andre hjelpemidler; det vi vet, kommer fra de automatiske testene og egen gjennomgang.
a11y-contact-heading = Si fra
a11y-contact = Finner du noe som ikke virker for deg, kan du si fra til Helsedirektoratet gjennom kontaktskjemaet på helsedirektoratet.no. Får du ikke svar, eller er du ikke fornøyd med svaret, kan du klage til Tilsynet for universell utforming av ikt (uutilsynet.no).

## E-mail subscriptions: the pages the links in e-mails open

sub-confirm-heading = Bekreft abonnementet
sub-confirm-text = Trykk på knappen for å begynne å få kunngjøringer fra Tavla på e-post. Gjør du ingenting, blir adressen slettet innen to døgn.
sub-confirm-button = Bekreft abonnementet
sub-confirmed-heading = Abonnementet er bekreftet
sub-confirmed-text = Du får nå e-post fra Tavla om kunngjøringene du valgte. Hver e-post har lenker for å endre eller si opp abonnementet.
sub-link-heading = Lenken virker ikke lenger
sub-link-text = Lenken er allerede brukt, har gått ut eller er ikke kopiert helt. Du kan abonnere på nytt fra forsiden.
sub-unsubscribe-heading = Si opp abonnementet
sub-unsubscribe-text = Trykk på knappen for å slutte å få e-post fra Tavla. Adressen din blir slettet.
sub-unsubscribe-button = Si opp abonnementet
sub-unsubscribed-heading = Abonnementet er sagt opp
sub-unsubscribed-text = Du får ikke flere e-poster fra Tavla, og adressen din er slettet.
sub-manage-heading = Abonnementet ditt
sub-manage-text = Her kan du endre hva du får e-post om, hvor ofte og på hvilket språk. Vil du ikke lenger ha e-post fra Tavla, kan du si opp abonnementet nederst på siden.
sub-manage-save = Lagre endringene
sub-manage-saved = Endringene er lagret.
sub-manage-leave = Slutte å få e-post

## E-mail subscriptions: the subscribe form (on the front and area pages, and on its own)

sub-email-link = E-post
sub-form-heading = Få kunngjøringer på e-post
sub-form-lead = Vi sender deg en e-post om nye kunngjøringer du velger her. Du bekrefter abonnementet fra den første e-posten, og hver e-post har lenker for å endre eller si det opp.
sub-form-email = E-postadresse
sub-form-required = må fylles ut
sub-form-kinds = Typer
sub-form-kinds-hint = Velger du ingen, får du alle typer.
sub-form-areas = Områder
sub-form-areas-hint = Velger du ingen, får du alle områder.
sub-form-all-areas = Du får kunngjøringer fra alle områder. Vil du bare ha ett område, kan du abonnere fra siden for området.
sub-form-frequency = Hvor ofte
sub-form-frequency-hint = Et sammendrag kommer bare når det er noe nytt.
sub-form-immediate = Med en gang: én e-post per kunngjøring
sub-form-daily = Daglig sammendrag, kl. { $time }
sub-form-weekly = Ukentlig sammendrag, mandager kl. { $time }
sub-form-reminders = Påminnelse om søknadsfrister og webinarer
sub-form-reminders-hint = En e-post en uke før søknadsfristen for et tilskudd og dagen før et webinar.
sub-form-language = Språk i e-postene
sub-form-submit = Abonner på e-post
sub-form-fix-fields = Rett opp feltene som er merket ({ $count }).
sub-check-heading = Sjekk e-posten din
sub-check-text = Hvis { $email } ikke allerede abonnerer, kommer det snart en e-post dit med en lenke for å bekrefte abonnementet. Finner du den ikke, se i mappen for søppelpost. Abonnementet begynner først når du har bekreftet det.
sub-too-many-heading = For mange forsøk
sub-too-many-text = Det har kommet mange forespørsler om abonnement fra nettverket ditt på kort tid. Vent { $seconds } sekunder, og prøv igjen.
sub-no-mail-heading = Abonnement på e-post finnes ikke her
sub-no-mail-text = Denne tjenesten sender ikke e-post. Du kan følge kunngjøringene med RSS, Atom eller kalenderen i stedet.
