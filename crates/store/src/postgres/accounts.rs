//! Accounts, sessions, one-time links, failed sign-ins and API tokens (web sign-in): the
//! statements on a connection or in a transaction.

use super::error::{col, is_foreign_key_violation, is_unique_violation, map};
use super::queries::user_of;
use crate::conv::{parse, parse_value};
use crate::rows::{from_micros, micros};
use crate::{
    Account, LinkPurpose, Result, Session, StoreError, TokenInfo, TokenScope, User, token_public_id,
};
use cpor_domain::Role;
use cpor_domain::jiff::Timestamp;
use cpor_domain::values::{Email, UserId};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;

/// `last_used_at` of a token is written at most this often (microseconds).
const LAST_USED_EVERY: i64 = 60_000_000;

/// An insert naming a user: a missing user is NotFound("user"), a taken key
/// Duplicate(`field`) named by `value`.
fn insert_error(e: sqlx::Error, field: &'static str, value: String) -> StoreError {
    if is_foreign_key_violation(&e) {
        StoreError::NotFound("user")
    } else if is_unique_violation(&e) {
        StoreError::Duplicate { field, value }
    } else {
        map(e)
    }
}

fn account_of(r: &PgRow) -> Result<Account> {
    Ok(Account {
        user: user_of(r)?,
        password_hash: col(r, "password_hash")?,
        language: col(r, "language")?,
        disabled: col::<Option<i64>>(r, "disabled_at")?.is_some(),
        suspended: col::<bool>(r, "suspended")?,
    })
}

pub async fn account(c: &mut PgConnection, id: UserId) -> Result<Option<Account>> {
    let r = sqlx::query(
        "SELECT u.id, u.org_id, u.email, u.name, u.role, u.created_at, u.password_hash, u.language,
             u.disabled_at, o.suspended_at IS NOT NULL AS suspended
         FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(c)
    .await
    .map_err(map)?;
    r.as_ref().map(account_of).transpose()
}

/// Uses the unique index on `lower(email)`.
pub async fn account_by_email(c: &mut PgConnection, email: &Email) -> Result<Option<Account>> {
    let r = sqlx::query(
        "SELECT u.id, u.org_id, u.email, u.name, u.role, u.created_at, u.password_hash, u.language,
             u.disabled_at, o.suspended_at IS NOT NULL AS suspended
         FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE lower(u.email) = lower($1)",
    )
    .bind(email.as_str())
    .fetch_optional(c)
    .await
    .map_err(map)?;
    r.as_ref().map(account_of).transpose()
}

/// An update of one user's row; NotFound("user") when it matched none.
async fn update_user<'q>(
    c: &mut PgConnection,
    q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
) -> Result<()> {
    match q.execute(c).await.map_err(map)?.rows_affected() {
        0 => Err(StoreError::NotFound("user")),
        _ => Ok(()),
    }
}

pub async fn set_password(c: &mut PgConnection, user: UserId, hash: &str) -> Result<()> {
    let q = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user.to_string())
        .bind(hash);
    update_user(c, q).await
}

pub async fn set_language(
    c: &mut PgConnection,
    user: UserId,
    language: Option<&str>,
) -> Result<()> {
    let q = sqlx::query("UPDATE users SET language = $2 WHERE id = $1")
        .bind(user.to_string())
        .bind(language);
    update_user(c, q).await
}

pub async fn set_role(c: &mut PgConnection, user: UserId, role: Role) -> Result<()> {
    let q = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
        .bind(user.to_string())
        .bind(role.as_str());
    update_user(c, q).await
}

/// Disabling keeps the first time it was disabled, and ends the user's sessions (call in
/// a transaction).
pub async fn set_disabled(
    c: &mut PgConnection,
    user: UserId,
    disabled: bool,
    at: Timestamp,
) -> Result<()> {
    if disabled {
        let q =
            sqlx::query("UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1")
                .bind(user.to_string())
                .bind(micros(at));
        update_user(&mut *c, q).await?;
        end_sessions_of(c, user).await?;
        Ok(())
    } else {
        let q =
            sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = $1").bind(user.to_string());
        update_user(c, q).await
    }
}

pub async fn create_session(c: &mut PgConnection, s: &Session) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id_hash)
    .bind(s.user_id.to_string())
    .bind(&s.csrf)
    .bind(micros(s.created_at))
    .bind(micros(s.last_seen_at))
    .execute(c)
    .await
    .map_err(|e| insert_error(e, "session", s.id_hash.clone()))?;
    Ok(())
}

pub async fn session(c: &mut PgConnection, id_hash: &str) -> Result<Option<Session>> {
    let r = sqlx::query(
        "SELECT id_hash, user_id, csrf, created_at, last_seen_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await
    .map_err(map)?;
    r.map(|r| {
        Ok(Session {
            id_hash: col(&r, "id_hash")?,
            user_id: parse("user id", &col::<String>(&r, "user_id")?)?,
            csrf: col(&r, "csrf")?,
            created_at: from_micros(col(&r, "created_at")?),
            last_seen_at: from_micros(col(&r, "last_seen_at")?),
        })
    })
    .transpose()
}

pub async fn touch_session(c: &mut PgConnection, id_hash: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(micros(now))
        .execute(c)
        .await
        .map_err(map)?;
    Ok(())
}

pub async fn end_session(c: &mut PgConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(c)
        .await
        .map_err(map)?;
    Ok(())
}

pub async fn end_sessions_of(c: &mut PgConnection, user: UserId) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.to_string())
        .execute(c)
        .await
        .map_err(map)?
        .rows_affected())
}

pub async fn create_link(
    c: &mut PgConnection,
    hash: &str,
    user: UserId,
    purpose: LinkPurpose,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_links (hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash)
    .bind(user.to_string())
    .bind(purpose.as_str())
    .bind(micros(expires_at))
    .execute(c)
    .await
    .map_err(|e| insert_error(e, "link", token_public_id(hash)))?;
    Ok(())
}

pub async fn peek_link(
    c: &mut PgConnection,
    hash: &str,
    purpose: LinkPurpose,
    now: Timestamp,
) -> Result<Option<UserId>> {
    let user: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM account_links
         WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(hash)
    .bind(purpose.as_str())
    .bind(micros(now))
    .fetch_optional(c)
    .await
    .map_err(map)?;
    user.map(|u| parse("user id", &u)).transpose()
}

/// One UPDATE: a concurrent second call waits for the first one's row lock, then sees
/// `used_at` set (PostgreSQL re-checks the condition on the updated row) and matches
/// nothing.
pub async fn use_link(
    c: &mut PgConnection,
    hash: &str,
    purpose: LinkPurpose,
    now: Timestamp,
) -> Result<Option<UserId>> {
    let user: Option<String> = sqlx::query_scalar(
        "UPDATE account_links SET used_at = $3
         WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
         RETURNING user_id",
    )
    .bind(hash)
    .bind(purpose.as_str())
    .bind(micros(now))
    .fetch_optional(c)
    .await
    .map_err(map)?;
    user.map(|u| parse("user id", &u)).transpose()
}

pub async fn record_login_failure(
    c: &mut PgConnection,
    keys: &[String],
    now: Timestamp,
    forget_before: Timestamp,
) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(micros(forget_before))
        .execute(&mut *c)
        .await
        .map_err(map)?;
    sqlx::query("INSERT INTO login_failures (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k")
        .bind(keys)
        .bind(micros(now))
        .execute(c)
        .await
        .map_err(map)?;
    Ok(())
}

pub async fn login_failures(c: &mut PgConnection, key: &str, since: Timestamp) -> Result<u32> {
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2")
            .bind(key)
            .bind(micros(since))
            .fetch_one(c)
            .await
            .map_err(map)?;
    Ok(n.clamp(0, i64::from(u32::MAX)) as u32)
}

pub async fn clear_login_failures(c: &mut PgConnection, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(c)
        .await
        .map_err(map)?;
    Ok(())
}

fn token_info(r: &PgRow) -> Result<TokenInfo> {
    Ok(TokenInfo {
        id: col(r, "id")?,
        user_id: parse("user id", &col::<String>(r, "user_id")?)?,
        name: col(r, "name")?,
        created_at: from_micros(col(r, "created_at")?),
        expires_at: col::<Option<i64>>(r, "expires_at")?.map(from_micros),
        last_used_at: col::<Option<i64>>(r, "last_used_at")?.map(from_micros),
        scope: col::<Option<String>>(r, "scope")?
            .as_deref()
            .map(parse_value)
            .transpose()?,
    })
}

pub async fn tokens(c: &mut PgConnection, user: UserId) -> Result<Vec<TokenInfo>> {
    let rows = sqlx::query(
        "SELECT id, user_id, name, created_at, expires_at, last_used_at, scope FROM api_tokens
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )
    .bind(user.to_string())
    .fetch_all(c)
    .await
    .map_err(map)?;
    rows.iter().map(token_info).collect()
}

/// Inserts a token row: a missing user is NotFound("user"), a taken hash
/// Duplicate { field: "token" } (named by its public id).
pub async fn insert_token(
    c: &mut PgConnection,
    user: UserId,
    hash: &str,
    name: Option<&str>,
    now: Timestamp,
    expires_at: Option<Timestamp>,
    scope: Option<TokenScope>,
) -> Result<TokenInfo> {
    let id = token_public_id(hash);
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, id, user_id, name, created_at, expires_at, scope)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash)
    .bind(&id)
    .bind(user.to_string())
    .bind(name)
    .bind(micros(now))
    .bind(expires_at.map(micros))
    .bind(scope.map(TokenScope::as_str))
    .execute(c)
    .await
    .map_err(|e| insert_error(e, "token", id.clone()))?;
    Ok(TokenInfo {
        id,
        user_id: user,
        name: name.map(str::to_string),
        created_at: now,
        expires_at,
        last_used_at: None,
        scope,
    })
}

pub async fn revoke_token(
    c: &mut PgConnection,
    user: UserId,
    token_id: &str,
    at: Timestamp,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE api_tokens SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL",
    )
    .bind(user.to_string())
    .bind(token_id)
    .bind(micros(at))
    .execute(c)
    .await
    .map_err(map)?
    .rows_affected()
        > 0)
}

/// The user of a token that works at `now` and the token's scope; records its use at
/// most once a minute.
pub async fn token_user(
    c: &mut PgConnection,
    hash: &str,
    now: Timestamp,
) -> Result<Option<(User, Option<TokenScope>)>> {
    let r = sqlx::query(
        "SELECT u.id, u.org_id, u.email, u.name, u.role, u.created_at, t.last_used_at, t.scope
         FROM api_tokens t JOIN users u ON u.id = t.user_id
             LEFT JOIN organisations o ON o.id = u.org_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL
             AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.disabled_at IS NULL
             AND o.suspended_at IS NULL",
    )
    .bind(hash)
    .bind(micros(now))
    .fetch_optional(&mut *c)
    .await
    .map_err(map)?;
    let Some(r) = r else { return Ok(None) };
    let user = user_of(&r)?;
    let scope = col::<Option<String>>(&r, "scope")?
        .as_deref()
        .map(parse_value)
        .transpose()?;
    let used = col::<Option<i64>>(&r, "last_used_at")?;
    if used.is_none_or(|t| t <= micros(now).saturating_sub(LAST_USED_EVERY)) {
        // Only a record for owners and admins: a failure does not refuse the request.
        let noted = sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2
             WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at <= $2 - $3)",
        )
        .bind(hash)
        .bind(micros(now))
        .bind(LAST_USED_EVERY)
        .execute(c)
        .await;
        if let Err(e) = noted {
            tracing::warn!(error = %e, "cannot record when an API token was last used");
        }
    }
    Ok(Some((user, scope)))
}
