//! Paging for list operations: an `azure_core` [`Pager`] that sends the first request, then
//! follows each page's next link until a page has none.

use std::sync::Arc;

use azure_core::error::ErrorKind;
use azure_core::http::pager::{PagerContinuation, PagerOptions, PagerResult, PagerState};
use azure_core::http::{Method, Pager, RawResponse, Request, Response, Url};
use serde::de::DeserializeOwned;

use crate::client::ClientCore;

/// Builds a pager. `first` is the URL of the first page (with the operation's query
/// parameters); `prepare` adds the operation's headers to every page request; `next_link`
/// reads the next link of a page from its raw body, `None` on the last page. With a
/// `continuation` in `options` (the continuation of a page of an earlier listing), the listing
/// resumes at the page after it instead of starting again.
///
/// A next link is used exactly as the service sent it (it may carry characters such as an
/// unencoded `@`); a relative one is resolved against the endpoint.
pub fn pager<P>(
    core: ClientCore,
    first: Url,
    prepare: impl Fn(&mut Request) + Send + Sync + 'static,
    next_link: fn(&RawResponse) -> azure_core::Result<Option<String>>,
    options: PagerOptions<'static>,
) -> Pager<P>
where
    P: DeserializeOwned + Send + 'static,
    Response<P>: azure_core::http::pager::Page,
{
    let prepare = Arc::new(prepare);
    Pager::new(
        move |state: PagerState, options: PagerOptions<'static>| {
            let core = core.clone();
            let prepare = Arc::clone(&prepare);
            let url = match state {
                PagerState::Initial => Ok(first.clone()),
                PagerState::More(continuation) => next_url(&core, continuation),
            };
            Box::pin(async move {
                let mut request = Request::new(url?, Method::Get);
                prepare(&mut request);
                let raw = core.send(&options.context, &mut request).await?;
                let next = next_link(&raw)?;
                let response: Response<P> = raw.into();
                Ok(match next {
                    Some(link) if !link.is_empty() => {
                        PagerResult::More { response, continuation: PagerContinuation::Token(link) }
                    }
                    _ => PagerResult::Done { response },
                })
            })
        },
        Some(options),
    )
}

fn next_url(core: &ClientCore, continuation: PagerContinuation) -> azure_core::Result<Url> {
    let link: String = continuation.into();
    core.endpoint().join(&link).map_err(|e| {
        azure_core::Error::with_message(
            ErrorKind::DataConversion,
            format!("the service sent a next link that is not a URL: {e}"),
        )
    })
}

/// Reads the string property `field` of a JSON object body without decoding the rest into
/// values; `None` when it is missing or `null`.
pub fn next_link_field(raw: &RawResponse, field: &str) -> azure_core::Result<Option<String>> {
    use serde::de::{IgnoredAny, MapAccess, Visitor};
    use std::fmt;

    struct Find<'a>(&'a str);
    impl<'de> Visitor<'de> for Find<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    found = map.next_value::<Option<String>>()?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(raw.body().as_ref());
    serde::Deserializer::deserialize_map(&mut deserializer, Find(field)).map_err(|e| {
        azure_core::Error::with_message(
            ErrorKind::DataConversion,
            format!("a page of the list is not the expected JSON object: {e}"),
        )
    })
}
