//! Raw IDs of communication identifiers.
//!
//! A raw ID is the single-string form of an identifier (`8:acs:…`, `4:+1425…`, `8:orgid:…`).
//! [`CommunicationIdentifier::from_raw_id`] and [`CommunicationIdentifier::raw_id`] follow the
//! official Azure SDKs (.NET, Java, JS, Python `communication-common`):
//!
//! | raw ID prefix | kind | details |
//! |---|---|---|
//! | `4:` | `phoneNumber` | `value` = the rest (`4:+14255550123` → `+14255550123`) |
//! | `8:acs:`, `8:spool:`, `8:dod-acs:`, `8:gcch-acs:` | `communicationUser` | `id` = the whole raw ID |
//! | `8:teamsvisitor:` | `microsoftTeamsUser` | anonymous |
//! | `8:orgid:` / `8:dod:` / `8:gcch:` | `microsoftTeamsUser` | public / DoD / GCCH cloud |
//! | `28:orgid:` / `28:dod:` / `28:gcch:` | `microsoftTeamsApp` | public / DoD / GCCH cloud |
//!
//! Apart from `4:`, a raw ID must have exactly three `:`-separated segments to be recognized;
//! anything else is an unknown kind (`kind: "unknown"`) with only `rawId` set.
//!
//! The identifier model itself is generated from the spec (`common::CommunicationIdentifierModel`,
//! a kind-tagged object); a spec opts a definition into these helpers with
//! `implements: [CommunicationIdentifier]`. The helpers speak the model's JSON form, which is the
//! service's wire format and the same in every API version, so they need nothing else of the
//! generated type.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const PHONE_NUMBER_PREFIX: &str = "4:";
const TEAMS_USER_ANONYMOUS_PREFIX: &str = "8:teamsvisitor:";
const TEAMS_USER_PUBLIC_PREFIX: &str = "8:orgid:";
const TEAMS_USER_DOD_PREFIX: &str = "8:dod:";
const TEAMS_USER_GCCH_PREFIX: &str = "8:gcch:";
const TEAMS_APP_PUBLIC_PREFIX: &str = "28:orgid:";
const TEAMS_APP_DOD_PREFIX: &str = "28:dod:";
const TEAMS_APP_GCCH_PREFIX: &str = "28:gcch:";
const ACS_USER_PREFIXES: [&str; 4] = ["8:acs:", "8:spool:", "8:dod-acs:", "8:gcch-acs:"];

/// The kind string the service uses for identifiers it cannot classify.
const UNKNOWN_KIND: &str = "unknown";

/// The cloud a Microsoft Teams user or application belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommunicationCloud {
    /// The public cloud.
    Public,
    /// The US Department of Defense cloud.
    Dod,
    /// The US Government Community Cloud High.
    Gcch,
}

impl CommunicationCloud {
    /// The value as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Dod => "dod",
            Self::Gcch => "gcch",
        }
    }

    fn user_prefix(self) -> &'static str {
        match self {
            Self::Public => TEAMS_USER_PUBLIC_PREFIX,
            Self::Dod => TEAMS_USER_DOD_PREFIX,
            Self::Gcch => TEAMS_USER_GCCH_PREFIX,
        }
    }

    fn app_prefix(self) -> &'static str {
        match self {
            Self::Public => TEAMS_APP_PUBLIC_PREFIX,
            Self::Dod => TEAMS_APP_DOD_PREFIX,
            Self::Gcch => TEAMS_APP_GCCH_PREFIX,
        }
    }

    /// The cloud of a wire value; unknown clouds count as public, as in the official SDKs.
    fn from_wire(value: Option<&str>) -> Self {
        match value {
            Some("dod") => Self::Dod,
            Some("gcch") => Self::Gcch,
            _ => Self::Public,
        }
    }
}

/// Raw-ID helpers of a communication identifier model (see the [module docs](self)).
///
/// Every method has a default implementation; a generated model gets them through the spec's
/// `implements: [CommunicationIdentifier]`. Bring the trait into scope to call them:
/// `use azure_communication::CommunicationIdentifier as _;`.
pub trait CommunicationIdentifier: Serialize + DeserializeOwned + Default {
    /// Builds the identifier a raw ID stands for. The kind and the raw ID are always set;
    /// unrecognized raw IDs give the kind `unknown`.
    fn from_raw_id(raw_id: &str) -> Self {
        from_json(wire_form(raw_id))
    }

    /// The raw ID: `rawId` when set, otherwise computed from the kind's payload as the SDKs do
    /// (communication user → its `id`; phone number → `4:` + value; Teams user →
    /// `8:teamsvisitor:`/`8:orgid:`/`8:dod:`/`8:gcch:` + user ID; Teams app →
    /// `28:orgid:`/`28:dod:`/`28:gcch:` + app ID, unknown clouds counting as public).
    /// `None` when there is nothing to compute it from.
    fn raw_id(&self) -> Option<String> {
        let value = serde_json::to_value(self).ok()?;
        if let Some(raw_id) = value.get("rawId").and_then(Value::as_str) {
            return Some(raw_id.to_owned());
        }
        computed_raw_id(&value)
    }

    /// A Communication Services user (`8:acs:…`), with its kind and raw ID set.
    fn communication_user(id: &str) -> Self {
        from_json(
            json!({"kind": "communicationUser", "rawId": id, "communicationUser": {"id": id}}),
        )
    }

    /// A phone number in E.164 format (`+14255550123`), with its kind and raw ID (`4:+1…`) set.
    fn phone_number(e164: &str) -> Self {
        let raw_id = format!("{PHONE_NUMBER_PREFIX}{e164}");
        from_json(json!({"kind": "phoneNumber", "rawId": raw_id, "phoneNumber": {"value": e164}}))
    }

    /// A (non-anonymous) Microsoft Teams user by Microsoft Entra object ID, with its kind and raw
    /// ID set.
    fn microsoft_teams_user(user_id: &str, cloud: CommunicationCloud) -> Self {
        from_json(teams_user(&format!("{}{user_id}", cloud.user_prefix()), user_id, false, cloud))
    }

    /// A Microsoft Teams application (bot) by app ID, with its kind and raw ID set.
    fn microsoft_teams_app(app_id: &str, cloud: CommunicationCloud) -> Self {
        from_json(teams_app(&format!("{}{app_id}", cloud.app_prefix()), app_id, cloud))
    }
}

/// The model for a JSON form built here. Every form is what the service itself sends, so a
/// model of the identifier reads it; one that does not is left at its default rather than
/// failing a call that only wanted an identifier.
fn from_json<T: DeserializeOwned + Default>(value: Value) -> T {
    serde_json::from_value(value).unwrap_or_default()
}

fn teams_user(raw_id: &str, user_id: &str, anonymous: bool, cloud: CommunicationCloud) -> Value {
    json!({
        "kind": "microsoftTeamsUser",
        "rawId": raw_id,
        "microsoftTeamsUser": {"userId": user_id, "isAnonymous": anonymous, "cloud": cloud.as_str()},
    })
}

fn teams_app(raw_id: &str, app_id: &str, cloud: CommunicationCloud) -> Value {
    json!({
        "kind": "microsoftTeamsApp",
        "rawId": raw_id,
        "microsoftTeamsApp": {"appId": app_id, "cloud": cloud.as_str()},
    })
}

/// The JSON form of the identifier a raw ID stands for.
fn wire_form(raw_id: &str) -> Value {
    if let Some(value) = raw_id.strip_prefix(PHONE_NUMBER_PREFIX) {
        return json!({"kind": "phoneNumber", "rawId": raw_id, "phoneNumber": {"value": value}});
    }
    let segments: Vec<&str> = raw_id.split(':').collect();
    let unknown = json!({"kind": UNKNOWN_KIND, "rawId": raw_id});
    let [first, second, suffix] = segments.as_slice() else {
        return unknown;
    };
    use CommunicationCloud::{Dod, Gcch, Public};
    match format!("{first}:{second}:").as_str() {
        TEAMS_USER_ANONYMOUS_PREFIX => teams_user(raw_id, suffix, true, Public),
        TEAMS_USER_PUBLIC_PREFIX => teams_user(raw_id, suffix, false, Public),
        TEAMS_USER_DOD_PREFIX => teams_user(raw_id, suffix, false, Dod),
        TEAMS_USER_GCCH_PREFIX => teams_user(raw_id, suffix, false, Gcch),
        TEAMS_APP_PUBLIC_PREFIX => teams_app(raw_id, suffix, Public),
        TEAMS_APP_DOD_PREFIX => teams_app(raw_id, suffix, Dod),
        TEAMS_APP_GCCH_PREFIX => teams_app(raw_id, suffix, Gcch),
        p if ACS_USER_PREFIXES.contains(&p) => {
            json!({"kind": "communicationUser", "rawId": raw_id, "communicationUser": {"id": raw_id}})
        }
        _ => unknown,
    }
}

/// The raw ID of an identifier's JSON form without `rawId`, from its kind's payload.
fn computed_raw_id(value: &Value) -> Option<String> {
    let text = |payload: &str, key: &str| value.get(payload)?.get(key)?.as_str().map(str::to_owned);
    let cloud = |payload: &str| {
        CommunicationCloud::from_wire(
            value.get(payload).and_then(|p| p.get("cloud")).and_then(Value::as_str),
        )
    };
    if let Some(id) = text("communicationUser", "id") {
        return Some(id);
    }
    if let Some(number) = text("phoneNumber", "value") {
        return Some(format!("{PHONE_NUMBER_PREFIX}{number}"));
    }
    if let Some(user_id) = text("microsoftTeamsUser", "userId") {
        let anonymous = value["microsoftTeamsUser"].get("isAnonymous") == Some(&Value::Bool(true));
        let prefix = if anonymous {
            TEAMS_USER_ANONYMOUS_PREFIX
        } else {
            cloud("microsoftTeamsUser").user_prefix()
        };
        return Some(format!("{prefix}{user_id}"));
    }
    let app_id = text("microsoftTeamsApp", "appId")?;
    Some(format!("{}{app_id}", cloud("microsoftTeamsApp").app_prefix()))
}
