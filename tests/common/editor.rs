//! The editor pages as a client without a browser sees them: signing in and
//! out through the forms, the session cookie, the page's CSRF token.

use reqwest::header::{LOCATION, SET_COOKIE};

use super::TestApp;

/// A client that shows each redirect instead of following it.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs out through the form.
pub async fn sign_out(app: &TestApp, cookie: &str, csrf: &str) -> reqwest::Response {
    no_redirects()
        .post(app.url("/admin/logg-ut"))
        .header("cookie", cookie)
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap()
}

/// Signs in through the form; returns the session cookie and the page's CSRF token.
pub async fn sign_in(app: &TestApp, secret: &str) -> (String, String) {
    let client = no_redirects();
    let response = client
        .post(app.url("/admin/logg-inn"))
        .form(&[("token", secret)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/admin");
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let page = client
        .get(app.url("/admin"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (cookie, csrf)
}
