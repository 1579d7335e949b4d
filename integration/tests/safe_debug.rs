//! `Debug` of models, options and events follows azure_core's `SafeDebug` convention: ids,
//! enums, numbers and dates show; message content, names, phone numbers and tokens never do,
//! so logging a value with `{:?}` leaks no personal data.

use azure_communication::chat::{
    ChatMessage, ChatMessageContent, ChatMessageType, ChatParticipant, SendChatMessageOptions,
};
use azure_communication::common::CommunicationIdentifierModel;
use azure_communication::events::ChatEvent;
use azure_communication::{CommunicationIdentifier as _, EventData as _};

const CONTENT: &str = "the launch code is 0000";
const NAME: &str = "Alice Example";
const PHONE: &str = "+14255550123";

#[test]
fn a_logged_message_and_participant_show_ids_but_no_personal_data() {
    let created = time::macros::datetime!(2024-03-07 10:00:00 UTC);
    let message =
        ChatMessage::new("1727789432123", ChatMessageType::Text, "17", "1727789432123", created)
            .with_content(ChatMessageContent::new().with_message(CONTENT).with_topic(NAME))
            .with_sender_display_name(NAME)
            .with_sender_communication_identifier(CommunicationIdentifierModel::phone_number(
                PHONE,
            ));
    let participant = ChatParticipant::new(CommunicationIdentifierModel::phone_number(PHONE))
        .with_display_name(NAME);
    for logged in [format!("{message:?}"), format!("{message:#?}"), format!("{participant:?}")] {
        for secret in [CONTENT, NAME, PHONE, "0000"] {
            assert!(!logged.contains(secret), "{secret:?} in {logged}");
        }
        assert!(logged.ends_with("}") && logged.contains(".."), "{logged}");
    }
    let logged = format!("{message:?}");
    // What helps debugging stays: the id, the type, the times.
    assert!(logged.contains("1727789432123") && logged.contains("Text"), "{logged}");
    assert!(logged.contains("2024"), "{logged}");
}

#[test]
fn logged_options_and_unknown_events_show_no_values() {
    let options = SendChatMessageOptions::default();
    assert_eq!(format!("{options:?}"), "SendChatMessageOptions { .. }");
    let body = format!(
        r#"[{{"id":"1","topic":"t","subject":"s","eventType":"Microsoft.Communication.SomethingNew",
        "data":{{"text":"{CONTENT}","from":"{PHONE}"}},"dataVersion":"1.0","metadataVersion":"1",
        "eventTime":"2024-03-07T10:00:00Z"}}]"#
    );
    let events = azure_communication::parse_event_grid::<ChatEvent>(body.as_bytes()).unwrap();
    let logged = format!("{:?}", events[0].data);
    assert_eq!(events[0].data.event_type(), "Microsoft.Communication.SomethingNew");
    assert!(
        logged.starts_with("Other") && !logged.contains(CONTENT) && !logged.contains(PHONE),
        "{logged}"
    );
}
