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
