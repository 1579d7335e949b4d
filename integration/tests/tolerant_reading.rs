//! Tolerant reading: a response the service may send parses without losing what it read, and
//! one odd value never fails the whole response. Each payload below is one the service sends or
//! has sent (older service versions, documented defaults, values added after this crate); each
//! must decode and write back as the service means it.

use azure_communication::callautomation::{CallConnectionProperties, CallConnectionStateModel};
use azure_communication::common::{
    CommunicationIdentifierModel, CommunicationIdentifierModelKind as Kind,
};
use azure_communication::rooms::{ParticipantProperties, Role, RoomParticipant};
use azure_communication::CommunicationIdentifier as _;
use azure_communication_test_support as support;
use serde_json::json;

/// Decodes `payload` as `T` and checks what it writes back against `written`.
fn reads_and_writes<T: serde::de::DeserializeOwned + serde::Serialize>(
    payload: serde_json::Value,
    written: serde_json::Value,
) -> T {
    let value: T = serde_json::from_value(payload.clone())
        .unwrap_or_else(|e| panic!("{payload} does not decode: {e}"));
    support::assert_same_json(&written, &serde_json::to_value(&value).unwrap(), "$");
    value
}

#[test]
fn a_known_kind_without_its_payload_reads_and_round_trips() {
    // A service version that predates the Teams app payload sends only the kind and raw id.
    for (kind, raw_id) in [
        ("microsoftTeamsApp", "28:orgid:01234567-89ab-cdef-0123-456789abcdef"),
        ("communicationUser", "8:acs:resource_user"),
        ("phoneNumber", "4:+14255550123"),
    ] {
        let payload = json!({"kind": kind, "rawId": raw_id});
        let id: CommunicationIdentifierModel = reads_and_writes(payload.clone(), payload);
        assert_eq!(id.kind, Kind::Unknown(kind.to_owned()));
        assert_eq!(id.raw_id().as_deref(), Some(raw_id));
    }
}

#[test]
fn a_known_kind_without_its_payload_does_not_fail_the_response_around_it() {
    let payload = json!({
        "callConnectionId": "c",
        "targets": [
            {"kind": "communicationUser", "communicationUser": {"id": "8:acs:a"}, "rawId": "8:acs:a"},
            {"kind": "microsoftTeamsApp", "rawId": "28:orgid:app"}
        ]
    });
    let call: CallConnectionProperties = reads_and_writes(payload.clone(), payload);
    let targets = call.targets.expect("the targets are read");
    assert!(matches!(targets[0].kind, Kind::CommunicationUser(_)));
    assert_eq!(targets[1].kind, Kind::Unknown("microsoftTeamsApp".into()));
}

#[test]
fn an_absent_role_is_the_documented_default() {
    let read: ParticipantProperties = reads_and_writes(json!({}), json!({"role": "Attendee"}));
    assert_eq!(read.role, Role::Attendee);
    let participant: RoomParticipant = reads_and_writes(
        json!({"rawId": "8:acs:a"}),
        json!({"rawId": "8:acs:a", "role": "Attendee"}),
    );
    assert_eq!(participant.role, ParticipantProperties::default_role());
    // A role that is there is kept, and an unknown one too.
    let read: ParticipantProperties =
        reads_and_writes(json!({"role": "Collaborator"}), json!({"role": "Collaborator"}));
    assert_eq!(read.role, Role::UnknownValue("Collaborator".into()));
}

#[test]
fn a_value_added_after_this_crate_is_kept() {
    let payload = json!({
        "callConnectionId": "c",
        "callConnectionState": "onHold",
        "targets": [{"kind": "teamsPhone", "rawId": "x:teams-phone"}]
    });
    let call: CallConnectionProperties = reads_and_writes(payload.clone(), payload);
    assert_eq!(
        call.call_connection_state,
        Some(CallConnectionStateModel::UnknownValue("onHold".into()))
    );
}
