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

## The end of every letter to a subscriber

mail-footer-why = Du får denne e-posten fordi du abonnerer på kunngjeringar frå Tavla.
mail-footer-manage = Endre kva du abonnerer på
mail-footer-unsubscribe = Sei opp abonnementet
