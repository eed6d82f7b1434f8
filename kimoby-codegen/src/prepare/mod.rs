//! Stage 2, preparing the schemas for typify: every file and `$defs` entry
//! in one definition map with rewritten references ([`bundle`]), and the
//! shapes typify 0.8 miscompiles or panics on adapted, server-sent
//! definitions relaxed ([`normalize`]). `walk` is the keyword-aware
//! traversal they (and the tolerant profile) share.

pub mod bundle;
pub mod normalize;
pub(crate) mod walk;
