//! How the import names things: modules, clients and operations from an OpenAPI file.
//!
//! Operation names follow the hand-written specs: the part of the operationId after `_`, in
//! camelCase (`ChatThread_SendChatMessage` → `sendChatMessage`); when that part is a single
//! generic verb (`Rooms_Create`), the group's noun is added, in the plural for `List` and for an
//! operation on a whole collection (`Participants_Update` on `/rooms/{roomId}/participants` →
//! `updateParticipants`), in the singular otherwise (`Rooms_Create` → `createRoom`,
//! `Rooms_Delete` on `/rooms/{roomId}` → `deleteRoom`).

use heck::{ToLowerCamelCase, ToUpperCamelCase};

/// Verbs that say nothing of what they act on, so the group's noun is added to them.
const GENERIC_VERBS: &[&str] = &[
    "create", "get", "list", "update", "delete", "send", "add", "remove", "replace", "upsert",
    "patch", "put",
];

/// Verbs that act on one new item even when the path names the collection.
const ONE_ITEM_VERBS: &[&str] = &["create", "send", "add", "upsert"];

/// Words of a name: `CallConnections` → [Call, Connections], `ACSUser` → [ACS, User],
/// `chat.join` → [chat, join].
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        // `APIs` is one word: an acronym's plural `s` does not start a new one.
        let plural_s = next == Some('s') && chars.get(i + 2).is_none_or(|c| !c.is_lowercase());
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()) && !plural_s)
            });
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// PascalCase of a name made of words or separators (`play_options` → `PlayOptions`).
pub fn pascal(name: &str) -> String {
    name.to_upper_camel_case()
}

/// A definition name as the OpenAPI spells it, with only what cannot be a type name changed
/// (`Foo.Bar` → `FooBar`); `ACSEvent` stays `ACSEvent`.
pub fn pascal_keep(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric())
        && name.starts_with(|c: char| c.is_ascii_uppercase())
    {
        name.to_owned()
    } else {
        pascal(name)
    }
}

/// The singular of a word (`Rooms` → `Room`, `Identities` → `Identity`); words that do not end
/// in a plural `s` are kept.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if lower.ends_with("ies") && word.len() > 3 {
        format!("{}y", &word[..word.len() - 3])
    } else if lower.ends_with("sses")
        || lower.ends_with("xes")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
    {
        word[..word.len() - 2].to_owned()
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && word.len() > 1
    {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// The plural of a word that is not one already.
pub fn plural(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if singular(word) != word {
        word.to_owned()
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
    {
        format!("{}ies", &word[..word.len() - 1])
    } else if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// A group name with its last word in the singular (`CallConnections` → `CallConnection`).
pub fn singular_words(group: &str) -> String {
    let mut w = words(group);
    if let Some(last) = w.last_mut() {
        *last = singular(last);
    }
    w.concat()
}

/// The operation name for an operationId (see the module documentation).
pub fn operation_name(operation_id: &str, path: &str) -> String {
    let (group, action) = operation_id.split_once('_').unwrap_or(("", operation_id));
    let action_words = words(action);
    let generic = action_words.len() == 1
        && GENERIC_VERBS.contains(&action_words[0].to_ascii_lowercase().as_str());
    if !generic || group.is_empty() {
        return action.to_lower_camel_case();
    }
    let verb = action_words[0].to_ascii_lowercase();
    let mut noun = words(group);
    let on_collection = !path.trim_end_matches('/').ends_with('}');
    let many = verb == "list" || (on_collection && !ONE_ITEM_VERBS.contains(&verb.as_str()));
    if let Some(last) = noun.last_mut() {
        *last = if many { plural(last) } else { singular(last) };
    }
    format!("{verb}_{}", noun.join("_")).to_lower_camel_case()
}

/// The module for an OpenAPI file: the service folder above its version folder, lower case
/// (`…/rooms/2023-10-30-preview/x.json` → `rooms`, `…/Chat/stable/2024-03-07/x.json` → `chat`).
pub fn module_from_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    let is_version =
        |p: &str| p.starts_with(|c: char| c.is_ascii_digit()) || matches!(p, "stable" | "preview");
    let service = dirs.iter().rev().find(|p| !is_version(p) && !p.is_empty() && **p != "..");
    let stem = parts.last().map(|f| f.trim_end_matches(".json")).unwrap_or("");
    service
        .copied()
        .unwrap_or(stem)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The top-level client's name from the document title: a title that is already a client name
/// (`EmailClient`) is kept; otherwise the title's words without `Azure`, `Communication`,
/// `Service` and `API`, plus `Client` (`Azure Communication Chat Service` → `ChatClient`), in the
/// plural when the module is (`Azure Communication Room Service`, `rooms` → `RoomsClient`).
pub fn client_name(title: &str, module: &str) -> String {
    let trimmed = title.trim();
    if !trimmed.contains(' ')
        && trimmed.ends_with("Client")
        && trimmed.chars().all(char::is_alphanumeric)
    {
        return trimmed.to_owned();
    }
    let kept: Vec<String> = words(trimmed)
        .into_iter()
        .filter(|w| {
            !matches!(
                w.to_ascii_lowercase().as_str(),
                "azure"
                    | "communication"
                    | "communications"
                    | "service"
                    | "services"
                    | "api"
                    | "apis"
                    | "client"
                    | "rest"
            )
        })
        .collect();
    if kept.is_empty() {
        return "Client".to_owned();
    }
    // `Room Service` for the module `rooms`: the module's plural reads better (`RoomsClient`).
    let name = pascal(&kept.join(" "));
    if module == format!("{}s", name.to_ascii_lowercase()) {
        format!("{name}sClient")
    } else {
        format!("{name}Client")
    }
}

/// The client of a group of operations scoped to one of its items (`ChatThread` →
/// `ChatThreadClient`, `CallConnections` → `CallConnectionClient`).
pub fn scoped_client_name(group: &str) -> String {
    format!("{}Client", singular_words(group))
}

/// The path parameter that names one item of a group (`ChatThread` → `chatThreadId`).
pub fn scope_parameter(group: &str) -> String {
    format!("{}Id", singular_words(group).to_lower_camel_case())
}

/// The first `{parameter}` of a path template.
pub fn first_path_parameter(path: &str) -> Option<String> {
    let start = path.find('{')?;
    let end = path[start..].find('}')? + start;
    Some(path[start + 1..end].to_owned())
}

/// A discriminator value without its last word (`groupCallLocator` → `groupCall`), to find the
/// property it names; empty for one-word values.
pub fn stem(value: &str) -> String {
    let w = words(value);
    if w.len() < 2 {
        return String::new();
    }
    w[..w.len() - 1].join("_").to_lower_camel_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_follow_the_hand_written_specs() {
        for (id, path, name) in [
            ("Rooms_Create", "/rooms", "createRoom"),
            ("Rooms_List", "/rooms", "listRooms"),
            ("Rooms_Get", "/rooms/{roomId}", "getRoom"),
            ("Rooms_Update", "/rooms/{roomId}", "updateRoom"),
            ("Rooms_Delete", "/rooms/{roomId}", "deleteRoom"),
            ("Participants_List", "/rooms/{roomId}/participants", "listParticipants"),
            ("Participants_Update", "/rooms/{roomId}/participants", "updateParticipants"),
            (
                "ChatThread_SendChatMessage",
                "/chat/threads/{chatThreadId}/messages",
                "sendChatMessage",
            ),
            ("Chat_CreateChatThread", "/chat/threads", "createChatThread"),
            ("Content_Play", "/calling/callConnections/{callConnectionId}:play", "play"),
            ("ServerCalling_CreateCall", "/calling/callConnections", "createCall"),
            ("CommunicationIdentity_Create", "/identities", "createCommunicationIdentity"),
            ("CommunicationIdentity_Delete", "/identities/{id}", "deleteCommunicationIdentity"),
            ("Email_Send", "/emails:send", "sendEmail"),
            ("Email_GetSendResult", "/emails/operations/{operationId}", "getSendResult"),
        ] {
            assert_eq!(operation_name(id, path), name, "{id}");
        }
    }

    #[test]
    fn clients_modules_and_words() {
        assert_eq!(client_name("Azure Communication Chat Service", "chat"), "ChatClient");
        assert_eq!(client_name("Azure Communication Room Service", "rooms"), "RoomsClient");
        assert_eq!(
            client_name("Azure Communication Service Call Automation APIs", "callautomation"),
            "CallAutomationClient"
        );
        assert_eq!(client_name("EmailClient", "email"), "EmailClient");
        assert_eq!(scoped_client_name("CallConnections"), "CallConnectionClient");
        assert_eq!(scope_parameter("ChatThread"), "chatThreadId");
        assert_eq!(module_from_path("../shared/x/rooms/2023-10-30-preview/r.json"), "rooms");
        assert_eq!(module_from_path("spec/Chat/stable/2024-03-07/c.json"), "chat");
        assert_eq!(words("ACSUserId"), ["ACS", "User", "Id"]);
        assert_eq!(words("Call Automation APIs"), ["Call", "Automation", "APIs"]);
        assert_eq!(words("chat.join.limited"), ["chat", "join", "limited"]);
        assert_eq!(stem("groupCallLocator"), "groupCall");
        assert_eq!(
            (singular("Identities"), plural("Room"), plural("Rooms")),
            ("Identity".into(), "Rooms".into(), "Rooms".into())
        );
    }
}
