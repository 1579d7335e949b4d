//! The generated models from arbitrary bytes: decoding never panics, and what decodes
//! serializes and decodes again to the same value.
#![no_main]

use azure_communication::{callautomation, chat, common, events, rooms};
use libfuzzer_sys::fuzz_target;
use serde::{de::DeserializeOwned, Serialize};
use std::fmt::Debug;

fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let json = serde_json::to_vec(&value).expect("a decoded model serializes");
        let again: T = serde_json::from_slice(&json).expect("a serialized model decodes");
        assert_eq!(again, value, "{} round trip", std::any::type_name::<T>());
    }
}

macro_rules! check_all {
    ($data:expr; $($t:ty),* $(,)?) => { $( check::<$t>($data); )* };
}

fuzz_target!(|data: &[u8]| {
    check_all!(data;
        common::CommunicationErrorResponse, common::CommunicationIdentifierModel,
        rooms::RoomModel, rooms::CreateRoomRequest, rooms::UpdateRoomRequest,
        rooms::RoomsCollection, rooms::ParticipantsCollection, rooms::UpdateParticipantsRequest,
        chat::ChatMessage, chat::ChatMessagesCollection, chat::ChatThreadProperties,
        chat::ChatThreadsItemCollection, chat::CreateChatThreadRequest,
        chat::CreateChatThreadResult, chat::ChatParticipantsCollection,
        chat::ChatMessageReadReceiptsCollection, chat::SendChatMessageRequest,
        chat::UpdateChatMessageRequest,
        callautomation::CallConnectionProperties, callautomation::CreateCallRequest,
        callautomation::GetParticipantsResponse, callautomation::PlayRequest,
        callautomation::RecognizeRequest, callautomation::CallLocator,
        callautomation::StartCallRecordingRequest, callautomation::RecordingStateResponse,
        callautomation::TransferToParticipantRequest,
        events::AcsChatMessageReceivedEventData, events::AcsChatThreadCreatedWithUserEventData,
    );
});
