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
//! anything else is kind `unknown` with only `rawId` set.

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

fn empty() -> CommunicationIdentifierModel {
    CommunicationIdentifierModel {
        kind: None,
        raw_id: None,
        communication_user: None,
        phone_number: None,
        microsoft_teams_user: None,
        microsoft_teams_app: None,
    }
}

impl CommunicationIdentifierModel {
    /// Builds the identifier a raw ID stands for (see the [module docs](self) for the rules).
    /// `kind` and `raw_id` are always set; unrecognized raw IDs give kind `unknown`.
    pub fn from_raw_id(raw_id: &str) -> Self {
        let mut model = empty();
        model.raw_id = Some(raw_id.to_owned());
        if let Some(value) = raw_id.strip_prefix(PHONE_NUMBER_PREFIX) {
            model.kind = Some(Kind::PhoneNumber);
            model.phone_number = Some(PhoneNumberIdentifierModel { value: value.to_owned() });
            return model;
        }
        let segments: Vec<&str> = raw_id.split(':').collect();
        let [first, second, suffix] = segments.as_slice() else {
            model.kind = Some(Kind::Unknown);
            return model;
        };
        let prefix = format!("{first}:{second}:");
        let teams_user = |is_anonymous: bool, cloud: Cloud| MicrosoftTeamsUserIdentifierModel {
            user_id: (*suffix).to_owned(),
            is_anonymous: Some(is_anonymous),
            cloud: Some(cloud),
        };
        let teams_app = |cloud: Cloud| MicrosoftTeamsAppIdentifierModel {
            app_id: (*suffix).to_owned(),
            cloud: Some(cloud),
        };
        match prefix.as_str() {
            TEAMS_USER_ANONYMOUS_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsUser);
                model.microsoft_teams_user = Some(teams_user(true, Cloud::Public));
            }
            TEAMS_USER_PUBLIC_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsUser);
                model.microsoft_teams_user = Some(teams_user(false, Cloud::Public));
            }
            TEAMS_USER_DOD_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsUser);
                model.microsoft_teams_user = Some(teams_user(false, Cloud::Dod));
            }
            TEAMS_USER_GCCH_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsUser);
                model.microsoft_teams_user = Some(teams_user(false, Cloud::Gcch));
            }
            TEAMS_APP_PUBLIC_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsApp);
                model.microsoft_teams_app = Some(teams_app(Cloud::Public));
            }
            TEAMS_APP_DOD_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsApp);
                model.microsoft_teams_app = Some(teams_app(Cloud::Dod));
            }
            TEAMS_APP_GCCH_PREFIX => {
                model.kind = Some(Kind::MicrosoftTeamsApp);
                model.microsoft_teams_app = Some(teams_app(Cloud::Gcch));
            }
            p if ACS_USER_PREFIXES.contains(&p) => {
                model.kind = Some(Kind::CommunicationUser);
                model.communication_user =
                    Some(CommunicationUserIdentifierModel { id: raw_id.to_owned() });
            }
            _ => model.kind = Some(Kind::Unknown),
        }
        model
    }

    /// The raw ID: `rawId` when set, otherwise computed from the sub-object as the SDKs do
    /// (communication user → its `id`; phone number → `4:` + value; Teams user →
    /// `8:teamsvisitor:`/`8:orgid:`/`8:dod:`/`8:gcch:` + user ID; Teams app →
    /// `28:orgid:`/`28:dod:`/`28:gcch:` + app ID, unknown clouds counting as public).
    /// `None` when there is nothing to compute it from.
    pub fn raw_id(&self) -> Option<String> {
        if let Some(raw_id) = &self.raw_id {
            return Some(raw_id.clone());
        }
        if let Some(user) = &self.communication_user {
            return Some(user.id.clone());
        }
        if let Some(phone) = &self.phone_number {
            return Some(format!("{PHONE_NUMBER_PREFIX}{}", phone.value));
        }
        if let Some(user) = &self.microsoft_teams_user {
            let prefix = if user.is_anonymous == Some(true) {
                TEAMS_USER_ANONYMOUS_PREFIX
            } else {
                match user.cloud {
                    Some(Cloud::Dod) => TEAMS_USER_DOD_PREFIX,
                    Some(Cloud::Gcch) => TEAMS_USER_GCCH_PREFIX,
                    _ => TEAMS_USER_PUBLIC_PREFIX,
                }
            };
            return Some(format!("{prefix}{}", user.user_id));
        }
        if let Some(app) = &self.microsoft_teams_app {
            let prefix = match app.cloud {
                Some(Cloud::Dod) => TEAMS_APP_DOD_PREFIX,
                Some(Cloud::Gcch) => TEAMS_APP_GCCH_PREFIX,
                _ => TEAMS_APP_PUBLIC_PREFIX,
            };
            return Some(format!("{prefix}{}", app.app_id));
        }
        None
    }

    /// A Communication Services user (`8:acs:…`), with `kind` and `rawId` set.
    pub fn communication_user(id: impl Into<String>) -> Self {
        let id = id.into();
        let mut model = empty();
        model.kind = Some(Kind::CommunicationUser);
        model.raw_id = Some(id.clone());
        model.communication_user = Some(CommunicationUserIdentifierModel { id });
        model
    }

    /// A phone number in E.164 format (`+14255550123`), with `kind` and `rawId` (`4:+1…`) set.
    pub fn phone_number(e164: impl Into<String>) -> Self {
        let value = e164.into();
        let mut model = empty();
        model.kind = Some(Kind::PhoneNumber);
        model.raw_id = Some(format!("{PHONE_NUMBER_PREFIX}{value}"));
        model.phone_number = Some(PhoneNumberIdentifierModel { value });
        model
    }

    /// A (non-anonymous) Microsoft Teams user by Microsoft Entra object ID, with `kind` and
    /// `rawId` set.
    pub fn microsoft_teams_user(user_id: impl Into<String>, cloud: Cloud) -> Self {
        let mut model = empty();
        model.kind = Some(Kind::MicrosoftTeamsUser);
        model.microsoft_teams_user = Some(MicrosoftTeamsUserIdentifierModel {
            user_id: user_id.into(),
            is_anonymous: Some(false),
            cloud: Some(cloud),
        });
        model.raw_id = model.raw_id();
        model
    }

    /// A Microsoft Teams application (bot) by app ID, with `kind` and `rawId` set.
    pub fn microsoft_teams_app(app_id: impl Into<String>, cloud: Cloud) -> Self {
        let mut model = empty();
        model.kind = Some(Kind::MicrosoftTeamsApp);
        model.microsoft_teams_app =
            Some(MicrosoftTeamsAppIdentifierModel { app_id: app_id.into(), cloud: Some(cloud) });
        model.raw_id = model.raw_id();
        model
    }
}
