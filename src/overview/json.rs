//! Reading a page's GraphQL answer: the document fixes its shape, so a missing field reads as empty
//! rather than failing the page (a field the schema makes nullable, a record removed meanwhile).

use serde_json::Value;

/// Reads fields of one object of an answer.
pub trait Read {
    /// The field `key` (`null` when absent).
    fn at(&self, key: &str) -> &Value;
    /// The string in `key`, or "".
    fn s(&self, key: &str) -> &str;
    /// The string in `key`, if there is one.
    fn opt(&self, key: &str) -> Option<&str>;
    /// The list in `key`, or none.
    fn list(&self, key: &str) -> &[Value];
    /// The integer in `key`, or 0.
    fn int(&self, key: &str) -> i64;
    /// The boolean in `key`, or false.
    fn flag(&self, key: &str) -> bool;
}

static NULL: Value = Value::Null;

impl Read for Value {
    fn at(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }

    fn s(&self, key: &str) -> &str {
        self.opt(key).unwrap_or_default()
    }

    fn opt(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    fn list(&self, key: &str) -> &[Value] {
        self.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn int(&self, key: &str) -> i64 {
        self.get(key).and_then(Value::as_i64).unwrap_or_default()
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or_default()
    }
}
