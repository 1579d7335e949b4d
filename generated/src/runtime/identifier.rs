//! Raw-ID helpers for [`CommunicationIdentifierModel`].
//!
//! A raw ID is the single-string form of an identifier (`8:acs:…`, `4:+1425…`, `8:orgid:…`).
//! [`CommunicationIdentifierModel::from_raw_id`] and [`CommunicationIdentifierModel::raw_id`]
//! follow the official Azure SDKs (.NET, Java, JS, Python `communication-common`):
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

use crate::common::{
    CommunicationCloudEnvironmentModel as Cloud, CommunicationIdentifierModel,
    CommunicationIdentifierModelKind as Kind, CommunicationUserIdentifierModel,
    MicrosoftTeamsAppIdentifierModel, MicrosoftTeamsUserIdentifierModel,
    PhoneNumberIdentifierModel,
};

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

fn teams_user(user_id: &str, is_anonymous: bool, cloud: Cloud) -> Kind {
    Kind::MicrosoftTeamsUser(
        MicrosoftTeamsUserIdentifierModel::new(user_id)
            .with_is_anonymous(is_anonymous)
            .with_cloud(cloud),
    )
}

fn teams_app(app_id: &str, cloud: Cloud) -> Kind {
    Kind::MicrosoftTeamsApp(MicrosoftTeamsAppIdentifierModel::new(app_id).with_cloud(cloud))
}

impl CommunicationIdentifierModel {
    /// Builds the identifier a raw ID stands for (see the [module docs](self) for the rules).
    /// The kind and `raw_id` are always set; unrecognized raw IDs give the kind `unknown`.
    pub fn from_raw_id(raw_id: &str) -> Self {
        Self::new(kind_of(raw_id)).with_raw_id(raw_id)
    }

    /// The raw ID: `rawId` when set, otherwise computed from the kind's payload as the SDKs do
    /// (communication user → its `id`; phone number → `4:` + value; Teams user →
    /// `8:teamsvisitor:`/`8:orgid:`/`8:dod:`/`8:gcch:` + user ID; Teams app →
    /// `28:orgid:`/`28:dod:`/`28:gcch:` + app ID, unknown clouds counting as public).
    /// `None` when there is nothing to compute it from.
    pub fn raw_id(&self) -> Option<String> {
        if let Some(raw_id) = &self.raw_id {
            return Some(raw_id.clone());
        }
        match &self.kind {
            Kind::CommunicationUser(user) => Some(user.id.clone()),
            Kind::PhoneNumber(phone) => Some(format!("{PHONE_NUMBER_PREFIX}{}", phone.value)),
            Kind::MicrosoftTeamsUser(user) => {
                let prefix = if user.is_anonymous == Some(true) {
                    TEAMS_USER_ANONYMOUS_PREFIX
                } else {
                    match user.cloud {
                        Some(Cloud::Dod) => TEAMS_USER_DOD_PREFIX,
                        Some(Cloud::Gcch) => TEAMS_USER_GCCH_PREFIX,
                        _ => TEAMS_USER_PUBLIC_PREFIX,
                    }
                };
                Some(format!("{prefix}{}", user.user_id))
            }
            Kind::MicrosoftTeamsApp(app) => {
                let prefix = match app.cloud {
                    Some(Cloud::Dod) => TEAMS_APP_DOD_PREFIX,
                    Some(Cloud::Gcch) => TEAMS_APP_GCCH_PREFIX,
                    _ => TEAMS_APP_PUBLIC_PREFIX,
                };
                Some(format!("{prefix}{}", app.app_id))
            }
            _ => None,
        }
    }

    /// A Communication Services user (`8:acs:…`), with its kind and `rawId` set.
    pub fn communication_user(id: impl Into<String>) -> Self {
        let id = id.into();
        Self::new(Kind::CommunicationUser(CommunicationUserIdentifierModel::new(id.clone())))
            .with_raw_id(id)
    }

    /// A phone number in E.164 format (`+14255550123`), with its kind and `rawId` (`4:+1…`) set.
    pub fn phone_number(e164: impl Into<String>) -> Self {
        let value = e164.into();
        let raw_id = format!("{PHONE_NUMBER_PREFIX}{value}");
        Self::new(Kind::PhoneNumber(PhoneNumberIdentifierModel::new(value))).with_raw_id(raw_id)
    }

    /// A (non-anonymous) Microsoft Teams user by Microsoft Entra object ID, with its kind and
    /// `rawId` set.
    pub fn microsoft_teams_user(user_id: impl Into<String>, cloud: Cloud) -> Self {
        Self::with_computed_raw_id(teams_user(&user_id.into(), false, cloud))
    }

    /// A Microsoft Teams application (bot) by app ID, with its kind and `rawId` set.
    pub fn microsoft_teams_app(app_id: impl Into<String>, cloud: Cloud) -> Self {
        Self::with_computed_raw_id(teams_app(&app_id.into(), cloud))
    }

    fn with_computed_raw_id(kind: Kind) -> Self {
        let model = Self::new(kind);
        match model.raw_id() {
            Some(raw_id) => model.with_raw_id(raw_id),
            None => model,
        }
    }
}

/// The kind (with its payload) that a raw ID stands for.
fn kind_of(raw_id: &str) -> Kind {
    if let Some(value) = raw_id.strip_prefix(PHONE_NUMBER_PREFIX) {
        return Kind::PhoneNumber(PhoneNumberIdentifierModel::new(value));
    }
    let segments: Vec<&str> = raw_id.split(':').collect();
    let [first, second, suffix] = segments.as_slice() else {
        return Kind::Unknown(UNKNOWN_KIND.to_owned());
    };
    match format!("{first}:{second}:").as_str() {
        TEAMS_USER_ANONYMOUS_PREFIX => teams_user(suffix, true, Cloud::Public),
        TEAMS_USER_PUBLIC_PREFIX => teams_user(suffix, false, Cloud::Public),
        TEAMS_USER_DOD_PREFIX => teams_user(suffix, false, Cloud::Dod),
        TEAMS_USER_GCCH_PREFIX => teams_user(suffix, false, Cloud::Gcch),
        TEAMS_APP_PUBLIC_PREFIX => teams_app(suffix, Cloud::Public),
        TEAMS_APP_DOD_PREFIX => teams_app(suffix, Cloud::Dod),
        TEAMS_APP_GCCH_PREFIX => teams_app(suffix, Cloud::Gcch),
        p if ACS_USER_PREFIXES.contains(&p) => {
            Kind::CommunicationUser(CommunicationUserIdentifierModel::new(raw_id))
        }
        _ => Kind::Unknown(UNKNOWN_KIND.to_owned()),
    }
}
