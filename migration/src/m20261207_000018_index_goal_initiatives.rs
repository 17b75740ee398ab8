//! The initiatives serving a goal, in their order: the index on `initiative_goal (goal_id)` becomes one on
//! `(goal_id, initiative_id)`, so the first page of a goal's initiatives reads that page's links in
//! order and stops, rather than every link of the goal and a sort (Sweden's goals have about 1,100 each
//! at scale 1). The new index is made before the old one goes: MariaDB keeps an index on `goal_id` for
//! its foreign key at every step.

use sea_orm_migration::prelude::*;

use crate::table::{drop_index, index};

const TABLE: &str = "initiative_goal";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(TABLE, &["goal_id", "initiative_id"]))
            .await?;
        manager.drop_index(drop_index(TABLE, &["goal_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index(TABLE, &["goal_id"])).await?;
        manager
            .drop_index(drop_index(TABLE, &["goal_id", "initiative_id"]))
            .await
    }
}
