//! The browser views, served from the binary: a request's path is looked up in
//! [`crate::assets::WEB_FILES`] and never reaches the disk.

use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::assets::WEB_FILES;

/// A page, script, style or font from the binary; `None` for any other path.
pub(crate) fn file(uri: &Uri) -> Option<Response> {
    let file = WEB_FILES.iter().find(|file| file.path == uri.path())?;
    let mut response = file.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    // The files change only with the binary; a short cache spares a phone the reload.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=60"),
    );
    // A token in the address never leaks to another site, and no other site frames a view.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Some(response)
}
