# Tavla's public pages, in nynorsk. Every key has its twin in ../nb/pages.ftl.

## The frame of every page

skip-to-content = Hopp til innhaldet
site-tagline = kunngjeringar frå Helsedirektoratet
site-title = Tavla – kunngjeringar frå Helsedirektoratet
subscribe = Abonner
subscribe-selection = Abonner på dette utvalet
calendar = Kalender
calendar-long = Kalender (webinar og fristar)
feed-calendar-title = Tavla (kalender)
json-api = JSON-API
api-description = API-skildring
for-editors = For redaktørar
language-switch = Språk
in-other-language = På bokmål
to-front-page = Til framsida

## The list

index-heading = Kunngjeringar frå Helsedirektoratet
index-lead = Tilskot, webinar og nyheiter for kommunar og helsetenesta.
filter-kind = Type
filter-all-kinds = Alle typar
filter-area = Område
filter-all-areas = Alle område
filter-search = Søk
filter-show = Vis
more-notices = Fleire kunngjeringar
no-notices = Ingen kunngjeringar.
only-stop-words = Søket inneheld berre ord som det ikkje blir søkt på (som «og» og «i»).

## The list's title: what it shows («Tilskot, søk «demens», side 2»)

title-list = { $selection } – Kunngjeringar – Tavla
title-search = søk «{ $q }»
title-from = publisert frå { $date }
title-to = publisert til { $date }
title-page = side { $page }
title-problem = Feil: { $title }

## Filters in a page's address that could not be used

filter-ignored = { $field } vart ikkje brukt: { $problem }.
param-kind = Typen
param-area = Området
param-language = Språket
param-q = Søket
param-status = Statusen
param-from = Frå-datoen
param-to = Til-datoen
param-cursor = Sidemerket
param-limit = Talet
param-other = Eit filter

## A notice

published = Publisert
areas = Område
source = Kjelde
apply-here = Søk her
register-here = Meld deg på

kind-grant = Tilskot
kind-webinar = Webinar
kind-news = Nyheit

status-open = Open
status-closed = Stengd
status-upcoming = Kommande
status-past = Halden
status-cancelled = Avlyst

fact-deadline = Søknadsfrist: { $when }
fact-rolling = Søknadsfrist: løpande
fact-amount = Beløp: { $amount } kr
fact-applicants = Kven kan søkje: { $who }
fact-cancelled = Avlyst
fact-cancelled-note = Avlyst: { $note }
fact-time = Tidspunkt: { $when }
fact-status = Status: { $status }

## An area

area-no-description = Tilgangspakken har inga skildring enno.
area-includes = Omfattar:
area-notices = Kunngjeringar

## Messages instead of a page

not-found-heading = Fann ikkje sida
not-found-text = Vi fann inga side på denne adressa.
withdrawn-heading = Kunngjeringa er trekt tilbake
withdrawn-text = Denne kunngjeringa gjeld ikkje lenger.
unavailable-heading = Tavla er mellombels utilgjengeleg
unavailable-text = Databasen svarar ikkje akkurat no. Prøv igjen om litt.
server-error = Noko gjekk gale hos oss. Feilen er logga.

## Feeds and the calendar

feed-description = Tilskot, webinar og nyheiter frå Helsedirektoratet for kommunar og helsetenesta.
calendar-deadline = Søknadsfrist: { $title }
calendar-registration = Påmelding: { $url }

## Languages a notice is written in

language = Språk
language-nb = Bokmål
language-nn = Nynorsk
language-se = Nordsamisk
language-en = Engelsk

## The accessibility statement

a11y-link = Tilgjengelegheitserklæring
a11y-heading = Tilgjengelegheitserklæring for Tavla
a11y-intro = Tavla skal kunne brukast av alle. Som nettstad for ei statleg verksemd skal han oppfylle krava til universell utforming av nettløysingar: WCAG 2.1, nivå A og AA. Det gjeld òg sidene for redaktørar.
a11y-how-heading = Slik lagar og testar vi sidene
a11y-how-pages = Sidene blir laga ferdige på serveren og verkar utan JavaScript, på mobil og med forstørring. Alle sidene finst på bokmål og nynorsk, med språket merkt i sidene.
a11y-how-tests = Automatiske testar opnar sidene i ein ekte nettlesar (Chromium) og brukar skjemaa slik ein lesar og ein redaktør gjer. Der kontrollerer axe-core kvar slags side, òg skjemaet med feilmeldingar, på bokmål og nynorsk mot WCAG 2.1 nivå A og AA, og testane feilar ved kvart brot han finn. Fargane har god kontrast, òg fokusmarkeringa. Eigne testar brukar berre tastaturet: logge inn, rette fleire feil i skjemaet, trekkje tilbake ei kunngjering og byte språk.
a11y-gaps-heading = Det vi veit ikkje er godt nok enno
a11y-gap-areas = Namna på områda (til dømes «Helsetjenester») kjem frå kjeldedataa og står på bokmål også på dei nynorske sidene.
a11y-gap-people = Sidene er enno ikkje prøvde av brukarar med skjermlesar eller andre hjelpemiddel; det vi veit, kjem frå dei automatiske testane og eigen gjennomgang.
a11y-contact-heading = Sei frå
a11y-contact = Finn du noko som ikkje verkar for deg, kan du seie frå til Helsedirektoratet gjennom kontaktskjemaet på helsedirektoratet.no. Får du ikkje svar, eller er du ikkje nøgd med svaret, kan du klage til Tilsynet for universell utforming av ikt (uutilsynet.no).

## E-mail subscriptions: the pages the links in e-mails open

sub-confirm-heading = Stadfest abonnementet
sub-confirm-text = Trykk på knappen for å byrje å få kunngjeringar frå Tavla på e-post. Gjer du ingenting, blir adressa sletta innan to døgn.
sub-confirm-button = Stadfest abonnementet
sub-confirmed-heading = Abonnementet er stadfesta
sub-confirmed-text = No får du e-post frå Tavla om kunngjeringane du valde. Kvar e-post har lenker for å endre eller seie opp abonnementet.
sub-link-heading = Lenka verkar ikkje lenger
sub-link-text = Lenka er allereie brukt, har gått ut eller er ikkje kopiert heilt. Du kan abonnere på nytt frå framsida.
sub-unsubscribe-heading = Sei opp abonnementet
sub-unsubscribe-text = Trykk på knappen for å slutte å få e-post frå Tavla. Adressa di blir sletta.
sub-unsubscribe-button = Sei opp abonnementet
sub-unsubscribed-heading = Abonnementet er sagt opp
sub-unsubscribed-text = Du får ikkje fleire e-postar frå Tavla, og adressa di er sletta.
sub-manage-heading = Abonnementet ditt
sub-manage-text = Her kan du endre kva du får e-post om, kor ofte og på kva språk. Vil du ikkje lenger ha e-post frå Tavla, kan du seie opp abonnementet nedst på sida.
sub-manage-save = Lagre endringane
sub-manage-saved = Endringane er lagra.
sub-manage-leave = Slutte å få e-post

## E-mail subscriptions: the subscribe form (on the front and area pages, and on its own)

sub-email-link = E-post
sub-form-heading = Få kunngjeringar på e-post
sub-form-lead = Vi sender deg ein e-post om nye kunngjeringar du vel her. Du stadfestar abonnementet frå den første e-posten, og kvar e-post har lenker for å endre eller seie det opp.
sub-form-email = E-postadresse
sub-form-required = må fyllast ut
sub-form-kinds = Typar
sub-form-kinds-hint = Vel du ingen, får du alle typar.
sub-form-areas = Område
sub-form-areas-hint = Vel du ingen, får du alle område.
sub-form-all-areas = Du får kunngjeringar frå alle område. Vil du berre ha eitt område, kan du abonnere frå sida for området.
sub-form-frequency = Kor ofte
sub-form-frequency-hint = Eit samandrag kjem berre når det er noko nytt.
sub-form-immediate = Med ein gong: éin e-post per kunngjering
sub-form-daily = Dagleg samandrag, kl. { $time }
sub-form-weekly = Vekentleg samandrag, måndagar kl. { $time }
sub-form-reminders = Påminning om søknadsfristar og webinar
sub-form-reminders-hint = Ein e-post ei veke før søknadsfristen for eit tilskot og dagen før eit webinar.
sub-form-language = Språk i e-postane
sub-form-submit = Abonner på e-post
sub-form-fix-fields = Rett opp felta som er merkte ({ $count }).
sub-check-heading = Sjekk e-posten din
sub-check-text = Viss { $email } ikkje abonnerer allereie, kjem det snart ein e-post dit med ei lenke for å stadfeste abonnementet. Finn du han ikkje, sjå i mappa for søppelpost. Abonnementet byrjar først når du har stadfesta det.
sub-too-many-heading = For mange forsøk
sub-too-many-text = Det har kome mange førespurnader om abonnement frå nettverket ditt på kort tid. Vent { $seconds } sekund, og prøv igjen.
sub-no-mail-heading = Abonnement på e-post finst ikkje her
sub-no-mail-text = Denne tenesta sender ikkje e-post. Du kan følgje kunngjeringane med RSS, Atom eller kalenderen i staden.
