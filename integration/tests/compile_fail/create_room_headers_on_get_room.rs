// The typed headers of `create_room` are not on the response of `get_room`, though both
// responses carry a `RoomModel`.
use azure_communication::rooms::{CreateRoomHeaders as _, RoomsClient};

async fn read(client: RoomsClient) {
    let response = client.get_room("1", None).await.unwrap();
    let _ = response.repeatability_result();
}

fn main() {
    let _ = read;
}
