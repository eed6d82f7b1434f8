//! Documents: uploaded files, served back by the mock at their `url`.

use std::sync::Arc;

use chrono::TimeDelta;
use kimoby_generated::types::{Document, DocumentRequired};

use super::table::{NoUniqueKey, UniqueKeys};
use super::{State, now};
use crate::domain::error::{ApiError, ApiResult};

/// The largest file accepted (the largest MMS the reference mentions).
pub const MAX_DOCUMENT_BYTES: usize = 4_194_303;

/// A document as stored: the model and the file's bytes.
#[derive(Debug, Clone)]
pub struct DocumentRecord {
    /// The model.
    pub document: Document,
    /// The content.
    pub bytes: Arc<[u8]>,
}

impl UniqueKeys for DocumentRecord {
    type Key = NoUniqueKey;

    fn unique_keys(&self) -> Vec<NoUniqueKey> {
        Vec::new()
    }
}

impl State {
    /// `POST /documents`.
    pub fn create_document(&mut self, name: String, media_type: String, bytes: Vec<u8>) -> ApiResult<Document> {
        if name.is_empty() {
            return Err(ApiError::bad_request("file: the part has no file name"));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(ApiError::bad_request(format!(
                "file: must be at most {MAX_DOCUMENT_BYTES} bytes"
            )));
        }
        self.next_document_id += 1;
        let id = self.next_document_id;
        let created = now();
        let document = Document::new(DocumentRequired {
            created_at: created,
            id,
            name,
            type_: media_type,
            updated_at: created,
            url: format!("{}/_mock/files/{id}", self.origin),
            url_expires_at: created + TimeDelta::hours(24),
        });
        let record = DocumentRecord {
            document: document.clone(),
            bytes: Arc::from(bytes),
        };
        let Ok(()) = self.documents.insert(id.to_string(), record);
        Ok(document)
    }

    /// `GET /documents/{id}`.
    pub fn find_document(&self, id: i64) -> ApiResult<DocumentRecord> {
        self.documents
            .get(&id.to_string())
            .cloned()
            .ok_or_else(|| ApiError::not_found("document", format!("id {id}")))
    }

    /// `DELETE /documents/{id}`.
    pub fn delete_document(&mut self, id: i64) -> ApiResult<()> {
        self.documents
            .remove(&id.to_string())
            .map(drop)
            .ok_or_else(|| ApiError::not_found("document", format!("id {id}")))
    }
}
