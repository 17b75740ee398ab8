//! Any string as a global ID: decoding answers an ID or a `BAD_ID` error, never a panic; what decodes
//! encodes back to an ID that decodes to the same record, and `decode_as` agrees with `decode`.

#![no_main]

use kartla::error::Error;
use kartla::service::id::{self, NodeType};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match id::decode(text) {
        Ok((node_type, uuid)) => {
            assert_eq!(id::decode(&id::encode(node_type, uuid)).ok(), Some((node_type, uuid)));
            for expected in NodeType::ALL {
                let typed = id::decode_as(text, expected);
                assert_eq!(typed.is_ok(), expected == node_type);
            }
        }
        Err(Error::BadId(message)) => assert!(!message.is_empty()),
        Err(other) => panic!("an ID is refused as BAD_ID, not {other:?}"),
    }
});
