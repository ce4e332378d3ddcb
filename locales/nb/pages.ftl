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
