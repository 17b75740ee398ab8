//! `orderBy` for the root lists: by when records were created or last changed, in either direction, with
//! the ID as the tiebreak. Without `orderBy` a list is in a stable order by ID.

use async_graphql::{Enum, InputObject};

/// A sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum OrderDirection {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

/// What a list of records can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum RecordOrderField {
    /// When the record was created.
    CreatedAt,
    /// When the record last changed.
    UpdatedAt,
}

macro_rules! order_input {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, InputObject)]
        pub struct $name {
            /// What to sort by.
            pub field: RecordOrderField,
            /// Which way; oldest first when not given.
            #[graphql(default_with = "OrderDirection::Asc")]
            pub direction: OrderDirection,
        }

        impl From<$name> for (RecordOrderField, OrderDirection) {
            fn from(order: $name) -> Self {
                (order.field, order.direction)
            }
        }
    };
}

order_input!(
    /// How to sort organisations.
    OrganisationOrder
);
order_input!(
    /// How to sort initiatives.
    InitiativeOrder
);
order_input!(
    /// How to sort activities.
    ActivityOrder
);
