# Tavla's e-mails, in bokmål. Every key has its twin in ../nn/mail.ftl.
# The letters are put together in src/mail/letters.rs and templates/mail/.

## Confirming a subscription

mail-confirm-subject = Bekreft abonnementet ditt på Tavla
mail-confirm-heading = Bekreft abonnementet ditt
mail-confirm-request = Du – eller noen som skrev inn adressen din – har bedt om å få kunngjøringer fra Tavla på e-post.
mail-confirm-action = Åpne lenken nedenfor og bekreft abonnementet på siden som kommer opp. Først da sender vi deg kunngjøringer.
mail-confirm-link = Bekreft abonnementet på Tavla
mail-confirm-fallback = Virker ikke lenken? Lim inn denne adressen i nettleseren:
mail-confirm-ignore = Har du ikke bedt om dette, kan du se bort fra denne e-posten. Da skjer det ingenting, og adressen slettes etter { $hours } timer.

## A notice that entered the subscriber's selection

mail-notice-subject = { $kind }: { $title }
mail-notice-subject-cancelled = Avlyst webinar: { $title }
mail-notice-read = Les hele kunngjøringen på Tavla

## A digest: the notices that entered the subscriber's selection since the last one

# $plural is $count's CLDR plural category, one or other (src/mail/letters/parts.rs says why).
mail-digest-subject = { $plural ->
        [one] { $count } ny kunngjøring på Tavla
       *[other] { $count } nye kunngjøringer på Tavla
    }
mail-digest-heading = { $frequency ->
        [daily] Dagens nytt fra Tavla
        [weekly] Ukens nytt fra Tavla
       *[other] Nytt fra Tavla
    }
mail-digest-intro = { $plural ->
        [one] Her er kunngjøringen som har kommet til i abonnementet ditt.
       *[other] Her er kunngjøringene som har kommet til i abonnementet ditt, med den nyeste først.
    }

## A reminder: a grant's deadline is about a week away, or a webinar starts soon

mail-reminder-subject-deadline = Søknadsfristen nærmer seg: { $title }
mail-reminder-subject-start = Webinaret starter snart: { $title }
mail-reminder-subject = Påminnelse: { $title }
mail-reminder-deadline = Søknadsfristen er { $when }. Det er omtrent en uke til.
mail-reminder-start = Webinaret starter { $when }.

## A webinar the subscriber was reminded of is cancelled

mail-cancelled-lead = Webinaret du fikk en påminnelse om, er avlyst.
mail-cancelled-note = Melding om avlysningen:

## The end of every letter to a subscriber

mail-footer-why = Du får denne e-posten fordi du abonnerer på kunngjøringer fra Tavla.
mail-footer-manage = Endre hva du abonnerer på
mail-footer-unsubscribe = Si opp abonnementet
