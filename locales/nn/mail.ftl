# Tavla's e-mails, in nynorsk. Every key has its twin in ../nb/mail.ftl.
# The letters are put together in src/mail/letters.rs and templates/mail/.

## Confirming a subscription

mail-confirm-subject = Stadfest abonnementet ditt på Tavla
mail-confirm-heading = Stadfest abonnementet ditt
mail-confirm-request = Du – eller nokon som skreiv inn adressa di – har bede om å få kunngjeringar frå Tavla på e-post.
mail-confirm-action = Opne lenka nedanfor og stadfest abonnementet på sida som kjem opp. Først då sender vi deg kunngjeringar.
mail-confirm-link = Stadfest abonnementet på Tavla
mail-confirm-fallback = Verkar ikkje lenka? Lim inn denne adressa i nettlesaren:
mail-confirm-ignore = Har du ikkje bede om dette, kan du sjå bort frå denne e-posten. Då skjer det ingenting, og adressa blir sletta etter { $hours } timar.

## A notice that entered the subscriber's selection

mail-notice-subject = { $kind }: { $title }
mail-notice-subject-cancelled = Avlyst webinar: { $title }
mail-notice-read = Les heile kunngjeringa på Tavla

## A digest: the notices that entered the subscriber's selection since the last one

# $plural is $count's CLDR plural category, one or other (src/mail/letters/parts.rs says why).
mail-digest-subject = { $plural ->
        [one] { $count } ny kunngjering på Tavla
       *[other] { $count } nye kunngjeringar på Tavla
    }
mail-digest-heading = { $frequency ->
        [daily] Dagens nytt frå Tavla
        [weekly] Vekas nytt frå Tavla
       *[other] Nytt frå Tavla
    }
mail-digest-intro = { $plural ->
        [one] Her er kunngjeringa som har kome til i abonnementet ditt.
       *[other] Her er kunngjeringane som har kome til i abonnementet ditt, med den nyaste først.
    }

## A reminder: a grant's deadline is about a week away, or a webinar starts soon

mail-reminder-subject-deadline = Søknadsfristen nærmar seg: { $title }
mail-reminder-subject-start = Webinaret byrjar snart: { $title }
mail-reminder-subject = Påminning: { $title }
mail-reminder-deadline = Søknadsfristen er { $when }. Det er om lag ei veke til.
mail-reminder-start = Webinaret byrjar { $when }.

## A webinar the subscriber was reminded of is cancelled

mail-cancelled-lead = Webinaret du fekk ei påminning om, er avlyst.
mail-cancelled-note = Melding om avlysinga:

## The end of every letter to a subscriber

mail-footer-why = Du får denne e-posten fordi du abonnerer på kunngjeringar frå Tavla.
mail-footer-manage = Endre kva du abonnerer på
mail-footer-unsubscribe = Sei opp abonnementet
