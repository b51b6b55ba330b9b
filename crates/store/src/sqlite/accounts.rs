//! Accounts, sessions, one-time links, failed sign-ins and API tokens (web sign-in): the
//! statements on a connection. Reads run on the read pool, writes on the writer.

use super::queries::{user_from_row, user_of};
use super::unique_violation;
use crate::conv::{parse, parse_value};
use crate::rows::{from_micros, micros};
use crate::{
    Account, LinkPurpose, Result, Session, StoreError, TokenInfo, TokenScope, User, token_public_id,
};
use cpor_domain::Role;
use cpor_domain::jiff::Timestamp;
use cpor_domain::values::{Email, UserId};
use rusqlite::{Connection, OptionalExtension, params};

/// `last_used_at` of a token is written at most this often (microseconds).
const LAST_USED_EVERY: i64 = 60_000_000;

type AccountRow = (
    (String, Option<String>, String, String, String, i64),
    Option<String>,
    Option<String>,
    Option<i64>,
    bool,
);

fn account_row(r: &rusqlite::Row) -> rusqlite::Result<AccountRow> {
    Ok((
        user_from_row(r)?,
        r.get("password_hash")?,
        r.get("language")?,
        r.get("disabled_at")?,
        r.get("suspended")?,
    ))
}

fn account_of(row: AccountRow) -> Result<Account> {
    let (user, password_hash, language, disabled_at, suspended) = row;
    Ok(Account {
        user: user_of(user)?,
        password_hash,
        language,
        disabled: disabled_at.is_some(),
        suspended,
    })
}

pub fn account(c: &Connection, id: UserId) -> Result<Option<Account>> {
    let row = c
        .prepare_cached(
            "SELECT u.id AS id, u.org_id AS org_id, u.email AS email, u.name AS name, u.role AS role,
                 u.created_at AS created_at, u.password_hash AS password_hash, u.language AS language,
                 u.disabled_at AS disabled_at, o.suspended_at IS NOT NULL AS suspended
             FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = ?1",
        )?
        .query_row([id.to_string()], account_row)
        .optional()?;
    row.map(account_of).transpose()
}

/// The e-mail column compares without case (`COLLATE NOCASE`).
pub fn account_by_email(c: &Connection, email: &Email) -> Result<Option<Account>> {
    let row = c
        .prepare_cached(
            "SELECT u.id AS id, u.org_id AS org_id, u.email AS email, u.name AS name, u.role AS role,
                 u.created_at AS created_at, u.password_hash AS password_hash, u.language AS language,
                 u.disabled_at AS disabled_at, o.suspended_at IS NOT NULL AS suspended
             FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.email = ?1",
        )?
        .query_row([email.as_str()], account_row)
        .optional()?;
    row.map(account_of).transpose()
}

fn user_exists(c: &Connection, user: UserId) -> Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM users WHERE id = ?1")?
        .query_row([user.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Runs an update of one user's row; NotFound("user") when it matched none.
fn update_user(c: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<()> {
    match c.prepare_cached(sql)?.execute(params)? {
        0 => Err(StoreError::NotFound("user")),
        _ => Ok(()),
    }
}

pub fn set_password(c: &Connection, user: UserId, hash: &str) -> Result<()> {
    update_user(
        c,
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user.to_string(), hash],
    )
}

pub fn set_language(c: &Connection, user: UserId, language: Option<&str>) -> Result<()> {
    update_user(
        c,
        "UPDATE users SET language = ?2 WHERE id = ?1",
        params![user.to_string(), language],
    )
}

pub fn set_role(c: &Connection, user: UserId, role: Role) -> Result<()> {
    update_user(
        c,
        "UPDATE users SET role = ?2 WHERE id = ?1",
        params![user.to_string(), role.as_str()],
    )
}

/// Disabling keeps the first time it was disabled, and ends the user's sessions.
pub fn set_disabled(c: &Connection, user: UserId, disabled: bool, at: Timestamp) -> Result<()> {
    if disabled {
        update_user(
            c,
            "UPDATE users SET disabled_at = coalesce(disabled_at, ?2) WHERE id = ?1",
            params![user.to_string(), micros(at)],
        )?;
        end_sessions_of(c, user)?;
        Ok(())
    } else {
        update_user(
            c,
            "UPDATE users SET disabled_at = NULL WHERE id = ?1",
            params![user.to_string()],
        )
    }
}

pub fn create_session(c: &Connection, s: &Session) -> Result<()> {
    if !user_exists(c, s.user_id)? {
        return Err(StoreError::NotFound("user"));
    }
    let r = c
        .prepare_cached(
            "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            s.id_hash,
            s.user_id.to_string(),
            s.csrf,
            micros(s.created_at),
            micros(s.last_seen_at)
        ]);
    if unique_violation(&r).is_some() {
        return Err(StoreError::Duplicate {
            field: "session",
            value: s.id_hash.clone(),
        });
    }
    r?;
    Ok(())
}

pub fn session(c: &Connection, id_hash: &str) -> Result<Option<Session>> {
    let row = c
        .prepare_cached(
            "SELECT id_hash, user_id, csrf, created_at, last_seen_at FROM sessions WHERE id_hash = ?1",
        )?
        .query_row([id_hash], |r| {
            Ok((
                r.get::<_, String>("id_hash")?,
                r.get::<_, String>("user_id")?,
                r.get::<_, String>("csrf")?,
                r.get::<_, i64>("created_at")?,
                r.get::<_, i64>("last_seen_at")?,
            ))
        })
        .optional()?;
    row.map(|(id_hash, user, csrf, created, seen)| {
        Ok(Session {
            id_hash,
            user_id: parse("user id", &user)?,
            csrf,
            created_at: from_micros(created),
            last_seen_at: from_micros(seen),
        })
    })
    .transpose()
}

pub fn touch_session(c: &Connection, id_hash: &str, now: Timestamp) -> Result<()> {
    c.prepare_cached("UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1")?
        .execute(params![id_hash, micros(now)])?;
    Ok(())
}

pub fn end_session(c: &Connection, id_hash: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM sessions WHERE id_hash = ?1")?
        .execute([id_hash])?;
    Ok(())
}

pub fn end_sessions_of(c: &Connection, user: UserId) -> Result<u64> {
    Ok(c.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
        .execute([user.to_string()])? as u64)
}

pub fn create_link(
    c: &Connection,
    hash: &str,
    user: UserId,
    purpose: LinkPurpose,
    expires_at: Timestamp,
) -> Result<()> {
    if !user_exists(c, user)? {
        return Err(StoreError::NotFound("user"));
    }
    let r = c
        .prepare_cached(
            "INSERT INTO account_links (hash, user_id, purpose, expires_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            hash,
            user.to_string(),
            purpose.as_str(),
            micros(expires_at)
        ]);
    if unique_violation(&r).is_some() {
        return Err(StoreError::Duplicate {
            field: "link",
            value: token_public_id(hash),
        });
    }
    r?;
    Ok(())
}

pub fn peek_link(
    c: &Connection,
    hash: &str,
    purpose: LinkPurpose,
    now: Timestamp,
) -> Result<Option<UserId>> {
    let user: Option<String> = c
        .prepare_cached(
            "SELECT user_id FROM account_links
             WHERE hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3",
        )?
        .query_row(params![hash, purpose.as_str(), micros(now)], |r| {
            r.get("user_id")
        })
        .optional()?;
    user.map(|u| parse("user id", &u)).transpose()
}

/// One statement on the single writer: the first call marks it used, later ones match
/// nothing.
pub fn use_link(
    c: &Connection,
    hash: &str,
    purpose: LinkPurpose,
    now: Timestamp,
) -> Result<Option<UserId>> {
    let user: Option<String> = c
        .prepare_cached(
            "UPDATE account_links SET used_at = ?3
             WHERE hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3
             RETURNING user_id",
        )?
        .query_row(params![hash, purpose.as_str(), micros(now)], |r| {
            r.get("user_id")
        })
        .optional()?;
    user.map(|u| parse("user id", &u)).transpose()
}

pub fn record_login_failure(
    c: &Connection,
    keys: &[String],
    now: Timestamp,
    forget_before: Timestamp,
) -> Result<()> {
    c.prepare_cached("DELETE FROM login_failures WHERE at < ?1")?
        .execute([micros(forget_before)])?;
    let mut stmt = c.prepare_cached("INSERT INTO login_failures (key, at) VALUES (?1, ?2)")?;
    for k in keys {
        stmt.execute(params![k, micros(now)])?;
    }
    Ok(())
}

pub fn login_failures(c: &Connection, key: &str, since: Timestamp) -> Result<u32> {
    let n: i64 = c
        .prepare_cached("SELECT count(*) AS n FROM login_failures WHERE key = ?1 AND at >= ?2")?
        .query_row(params![key, micros(since)], |r| r.get("n"))?;
    Ok(n.clamp(0, i64::from(u32::MAX)) as u32)
}

pub fn clear_login_failures(c: &Connection, key: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM login_failures WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

fn token_of(r: &rusqlite::Row) -> rusqlite::Result<(TokenRow, String)> {
    Ok((
        (
            r.get("id")?,
            r.get("name")?,
            r.get("created_at")?,
            r.get("expires_at")?,
            r.get("last_used_at")?,
            r.get("scope")?,
        ),
        r.get("user_id")?,
    ))
}

type TokenRow = (
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

fn token_info(row: (TokenRow, String)) -> Result<TokenInfo> {
    let ((id, name, created, expires, used, scope), user) = row;
    Ok(TokenInfo {
        id,
        user_id: parse("user id", &user)?,
        name,
        created_at: from_micros(created),
        expires_at: expires.map(from_micros),
        last_used_at: used.map(from_micros),
        scope: scope.as_deref().map(parse_value).transpose()?,
    })
}

pub fn tokens(c: &Connection, user: UserId) -> Result<Vec<TokenInfo>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, user_id, name, created_at, expires_at, last_used_at, scope FROM api_tokens
         WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([user.to_string()], token_of)?;
    rows.map(|r| token_info(r?)).collect()
}

/// Inserts a token row; a taken hash is Duplicate { field: "token" } (named by its public id).
pub fn insert_token(
    c: &Connection,
    user: UserId,
    hash: &str,
    name: Option<&str>,
    now: Timestamp,
    expires_at: Option<Timestamp>,
    scope: Option<TokenScope>,
) -> Result<TokenInfo> {
    let id = token_public_id(hash);
    let r = c
        .prepare_cached(
            "INSERT INTO api_tokens (token_hash, id, user_id, name, created_at, expires_at, scope)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            hash,
            id,
            user.to_string(),
            name,
            micros(now),
            expires_at.map(micros),
            scope.map(TokenScope::as_str)
        ]);
    if unique_violation(&r).is_some() {
        return Err(StoreError::Duplicate {
            field: "token",
            value: id,
        });
    }
    r?;
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

pub fn create_token(
    c: &Connection,
    user: UserId,
    hash: &str,
    name: Option<&str>,
    now: Timestamp,
    expires_at: Option<Timestamp>,
    scope: Option<TokenScope>,
) -> Result<TokenInfo> {
    if !user_exists(c, user)? {
        return Err(StoreError::NotFound("user"));
    }
    insert_token(c, user, hash, name, now, expires_at, scope)
}

pub fn revoke_token(c: &Connection, user: UserId, token_id: &str, at: Timestamp) -> Result<bool> {
    Ok(c.prepare_cached(
        "UPDATE api_tokens SET revoked_at = ?3 WHERE user_id = ?1 AND id = ?2 AND revoked_at IS NULL",
    )?
    .execute(params![user.to_string(), token_id, micros(at)])?
        > 0)
}

/// The user of a token that works at `now`, the token's scope, and whether its
/// `last_used_at` is due to be written.
pub fn token_user(
    c: &Connection,
    hash: &str,
    now: Timestamp,
) -> Result<Option<(User, Option<TokenScope>, bool)>> {
    let row = c
        .prepare_cached(
            "SELECT u.id AS id, u.org_id AS org_id, u.email AS email, u.name AS name,
                 u.role AS role, u.created_at AS created_at, t.last_used_at AS last_used_at,
                 t.scope AS scope
             FROM api_tokens t JOIN users u ON u.id = t.user_id
                 LEFT JOIN organisations o ON o.id = u.org_id
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL
                 AND (t.expires_at IS NULL OR t.expires_at > ?2) AND u.disabled_at IS NULL
                 AND o.suspended_at IS NULL",
        )?
        .query_row(params![hash, micros(now)], |r| {
            Ok((
                user_from_row(r)?,
                r.get::<_, Option<String>>("scope")?,
                r.get::<_, Option<i64>>("last_used_at")?,
            ))
        })
        .optional()?;
    row.map(|(u, scope, used)| {
        let due = used.is_none_or(|t| t <= micros(now).saturating_sub(LAST_USED_EVERY));
        let scope = scope.as_deref().map(parse_value).transpose()?;
        Ok((user_of(u)?, scope, due))
    })
    .transpose()
}

/// Records that the token was used at `now`, unless that was recorded less than a minute
/// before.
pub fn note_token_use(c: &Connection, hash: &str, now: Timestamp) -> Result<()> {
    c.prepare_cached(
        "UPDATE api_tokens SET last_used_at = ?2
         WHERE token_hash = ?1 AND (last_used_at IS NULL OR last_used_at <= ?2 - ?3)",
    )?
    .execute(params![hash, micros(now), LAST_USED_EVERY])?;
    Ok(())
}
