// Header traits are sealed: code outside the crate cannot implement them.
use azure_communication::common::RepeatabilityResult;
use azure_communication::rooms::CreateRoomHeaders;

struct Mine;

impl CreateRoomHeaders for Mine {
    fn repeatability_result(&self) -> azure_core::Result<Option<RepeatabilityResult>> {
        Ok(None)
    }
}

fn main() {}
