//! Any string as a cursor, for each kind of list: a place in the list or a `BAD_CURSOR` error, never a
//! panic; what decodes encodes back to the same place.

#![no_main]

use kartla::error::Error;
use kartla::service::change_feed;
use kartla::service::page;
use kartla::service::sorted_page::Key;
use libfuzzer_sys::fuzz_target;

fn bad_cursor<T: std::fmt::Debug>(result: Result<T, Error>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(Error::BadCursor(message)) => {
            assert!(!message.is_empty());
            None
        }
        Err(other) => panic!("a cursor is refused as BAD_CURSOR, not {other:?}"),
    }
}

fuzz_target!(|text: &str| {
    if let Some(id) = bad_cursor(page::decode_cursor(text)) {
        assert_eq!(page::decode_cursor(&page::encode_cursor(id)).ok(), Some(id));
    }
    if let Some(key) = bad_cursor(Key::from_cursor(text)) {
        assert_eq!(Key::from_cursor(&key.cursor()).ok(), Some(key));
    }
    if let Some(position) = bad_cursor(change_feed::decode_cursor(text)) {
        assert!(position >= 0);
        assert_eq!(change_feed::decode_cursor(&position.to_string()).ok(), Some(position));
    }
});
