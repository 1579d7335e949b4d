//! Typed response headers are sealed traits, one per operation, implemented only on that
//! operation's response type: another operation's response does not get them (even with the
//! same body type), and code outside the crate cannot implement them. The failing programs are
//! in `tests/compile_fail/`, each with the compiler's message beside it.

use azure_communication::rooms::{CreateRoomHeaders as _, CreateRoomRequest, RoomsClient};

#[test]
fn another_operations_response_does_not_get_the_headers() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}

/// The operation's own response has them (this compiles).
#[allow(dead_code)]
async fn the_operations_own_response_has_them(client: RoomsClient) -> azure_core::Result<()> {
    let response = client.create_room(&CreateRoomRequest::new(), None).await?;
    let _ = response.repeatability_result()?;
    let _room = response.into_model()?;
    Ok(())
}
