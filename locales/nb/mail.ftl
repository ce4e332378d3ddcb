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

## The end of every letter to a subscriber

mail-footer-why = Du får denne e-posten fordi du abonnerer på kunngjøringer fra Tavla.
mail-footer-manage = Endre hva du abonnerer på
mail-footer-unsubscribe = Si opp abonnementet
