//! What many object types flatten in or resolve alike: the audit trail of a record (`history`), its
//! bookkeeping (`createdAt`, `updatedAt`, `version`), its multilingual texts, and `viewerCanUpdate` of
//! the records only an ADMIN changes; and [`plain::Plain`], the hot lists' records answered from their rows.

pub mod audited;
pub mod bookkeeping;
pub mod editable;
pub mod plain;
pub mod texts;
