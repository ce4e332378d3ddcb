use super::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

fn taxonomy() -> Taxonomy {
    Taxonomy::new(crate::seed::taxonomy())
}

fn fields(result: Result<NoticeQuery, InvalidParameters>) -> Vec<String> {
    match result {
        Err(InvalidParameters(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected invalid parameters, got {other:?}"),
    }
}

#[test]
fn every_bad_parameter_is_named_at_once() {
    let bad = fields(list_query(
        "limit=0&kind=event&area=nowhere&from=yesterday&foo=1",
        &taxonomy(),
    ));
    assert_eq!(bad, ["foo", "kind", "area", "from", "limit"]);
}

#[test]
fn dates_cover_whole_oslo_days() {
    let q = list_query("from=2020-04-21&to=2020-04-21", &taxonomy()).unwrap();
    assert_eq!(q.from.unwrap().to_rfc3339(), "2020-04-20T22:00:00+00:00");
    assert_eq!(q.until.unwrap().to_rfc3339(), "2020-04-21T22:00:00+00:00");
}

#[test]
fn a_status_of_another_kind_is_refused() {
    assert_eq!(
        fields(list_query("kind=news&status=open", &taxonomy())),
        ["status"]
    );
    assert!(list_query("kind=grant&status=open", &taxonomy()).is_ok());
}

#[test]
fn dates_beyond_what_can_be_stored_are_refused() {
    for query in [
        "to=%2B262142-12-31",
        "from=-4800-01-01",
        "to=9999-12-31T23:59:59Z",
        "from=0001-01-01",
    ] {
        assert_eq!(
            fields(list_query(query, &taxonomy())),
            [query.split('=').next().unwrap()],
            "{query}"
        );
    }
    let forged = URL_SAFE_NO_PAD.encode(format!("{}.{}", i64::MAX / 2, Uuid::nil()));
    assert_eq!(
        fields(list_query(&format!("cursor={forged}"), &taxonomy())),
        ["cursor"]
    );
}

#[test]
fn single_parameters_may_not_repeat() {
    assert_eq!(
        fields(list_query("limit=5&limit=6", &taxonomy())),
        ["limit"]
    );
}
