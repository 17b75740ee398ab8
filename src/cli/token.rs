//! `kartla token create|list|revoke`: API tokens for editing. A token is printed once, when it is made.

use clap::{Subcommand, ValueEnum};
use sea_orm::DatabaseConnection;

use crate::entity::enums::AccessRole;
use crate::service::id::{self, NodeType};
use crate::service::token;

/// What to do with tokens.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Make a token and print it (only now: Kartla keeps a hash, not the token).
    Create {
        /// A name people recognise, such as "udir-integration"; unique.
        #[arg(long)]
        name: String,
        /// What the token may do.
        #[arg(long, value_enum, ignore_case = true)]
        role: RoleArg,
        /// For an EDITOR: the global ID of the organisation it acts for (from `organisations` in GraphiQL).
        #[arg(long)]
        organisation: Option<String>,
    },
    /// List the tokens: name, role, organisation, made, revoked.
    List,
    /// Revoke a token by name; it signs nobody in any more.
    Revoke {
        /// The token's name.
        name: String,
    },
}

/// A token's role on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    /// Everything.
    Admin,
    /// Acts for one organisation.
    Editor,
    /// Reads personal data.
    Reader,
}

impl From<RoleArg> for AccessRole {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => AccessRole::Admin,
            RoleArg::Editor => AccessRole::Editor,
            RoleArg::Reader => AccessRole::Reader,
        }
    }
}

/// Runs a token command.
pub async fn run(db: &DatabaseConnection, action: TokenAction) -> anyhow::Result<()> {
    match action {
        TokenAction::Create {
            name,
            role,
            organisation,
        } => {
            let organisation = organisation
                .map(|id| id::decode_as(&async_graphql::ID(id), NodeType::Organisation))
                .transpose()?;
            let (model, secret) = token::create(db, &name, role.into(), organisation).await?;
            eprintln!(
                "Made the token {:?} ({:?}). It is shown this once; Kartla keeps only its hash:",
                model.name, model.role
            );
            println!("{secret}");
        }
        TokenAction::List => {
            println!(
                "{:<32} {:<7} {:<40} {:<26} revoked",
                "name", "role", "organisation", "made"
            );
            for t in token::list(db).await? {
                let organisation = t
                    .organisation_id
                    .map(|o| id::encode(NodeType::Organisation, o))
                    .unwrap_or_else(|| "-".into());
                let revoked = t.revoked_at.map(|at| at.to_rfc3339()).unwrap_or_else(|| "-".into());
                println!(
                    "{:<32} {:<7} {:<40} {:<26} {revoked}",
                    t.name,
                    format!("{:?}", t.role).to_uppercase(),
                    organisation,
                    t.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
                );
            }
        }
        TokenAction::Revoke { name } => {
            let t = token::revoke(db, &name).await?;
            println!("Revoked the token {:?}", t.name);
        }
    }
    Ok(())
}
