//! Every Rust name the generator emits is made here, and only here.
//!
//! Type and variant names are UpperCamelCase, fields and modules snake_case (heck's rules:
//! `PostgreSQLSettings` -> `postgre_sql_settings`), Rust keywords are escaped as raw
//! identifiers (`type` -> `r#type`), and the few keywords that cannot be raw (`self`,
//! `super`, `crate`, `Self`) get a trailing underscore. Collisions are detected by the
//! resolver with [`Scope`], never silently disambiguated.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;

/// Keywords of every edition (strict, reserved and weak ones that matter in item position).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// A Rust identifier as text: either plain (`name`) or raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    /// The identifier exactly as it is written in Rust source (`r#type` for raw ones).
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The identifier without a raw prefix (`type` for `r#type`), for derived names.
    pub fn unraw(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn escape(name: String) -> Ident {
    if NOT_RAW.contains(&name.as_str()) {
        Ident(format!("{name}_"))
    } else if KEYWORDS.contains(&name.as_str()) {
        Ident(format!("r#{name}"))
    } else {
        Ident(name)
    }
}

/// Makes a name a valid ASCII identifier: characters other than ASCII letters, digits
/// and `_` are dropped, and one that starts with a digit (or is empty) gets `prefix`.
fn fix_start(name: String, prefix: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match name.chars().next() {
        None => prefix.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{name}"),
        Some(_) => name,
    }
}

/// The Rust type name of a shape (`IBMDb2Settings` -> `IbmDb2Settings`).
pub fn type_name(shape: &str) -> Ident {
    escape(fix_start(shape.to_upper_camel_case(), "Shape"))
}

/// The field (and setter) name of a structure member (`PostgreSQLSettings` -> `postgre_sql_settings`).
pub fn field_name(member: &str) -> Ident {
    let snake = fix_start(member.to_snake_case(), "field_");
    // `new` is the constructor of input structures; a member called `New` keeps a
    // field of its own that does not shadow it.
    if snake == "new" {
        return Ident("new_".to_string());
    }
    escape(snake)
}

/// The name of an operation's input, output or error type: `(DeleteConnection, "Input")`
/// gives `DeleteConnectionInput`.
pub fn operation_type_name(operation: &str, suffix: &str) -> Ident {
    let camel = type_name(operation);
    type_name(&format!("{}{suffix}", camel.unraw()))
}

/// The setter of a field: the field's name on inputs (builder style), `with_<field>` on
/// structures the service returns (outputs, faults, shared types), whose field-named
/// methods are getters (`endpoints()` returns a slice).
pub fn setter_name(field: &Ident, returned: bool) -> Ident {
    if returned {
        Ident(format!("with_{}", field.unraw()))
    } else {
        field.clone()
    }
}

/// The struct holding the required members of `type_name` (`CreateEndpointInputRequired`).
pub fn required_struct_name(type_name: &Ident) -> Ident {
    Ident(format!("{}Required", type_name.unraw()))
}

/// The `is_<variant>()` helper of an error enum variant (`is_resource_not_found_fault`).
pub fn is_variant_fn(variant: &Ident) -> Ident {
    Ident(format!("is_{}", variant.unraw().to_snake_case()))
}

/// The client method returning an operation's paginator (`describe_endpoints_paginator`).
pub fn paginator_method(operation_module: &Ident) -> Ident {
    Ident(format!("{}_paginator", operation_module.unraw()))
}

/// The client method running a waiter (`ReplicationTaskReady` ->
/// `wait_until_replication_task_ready`).
pub fn waiter_method(waiter: &str) -> Ident {
    Ident(format!(
        "wait_until_{}",
        fix_start(waiter.to_snake_case(), "_")
    ))
}

/// The output file name for an endpoint prefix (`dms` -> `dms.rs`): only ASCII
/// letters, digits and `_`, so model text can never name a path.
pub fn file_name(endpoint_prefix: &str) -> String {
    let stem: String = endpoint_prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches('_');
    if stem.is_empty() {
        "service.rs".to_string()
    } else {
        format!("{stem}.rs")
    }
}

/// The module name of an operation (`DeleteConnection` -> `delete_connection`).
pub fn module_name(operation: &str) -> Ident {
    escape(fix_start(operation.to_snake_case(), "op_"))
}

/// The variant name of an enum value (`verify-ca` -> `VerifyCa`, `parquet-1-0` -> `Parquet10`,
/// `1.0` -> `V10`). A value with no letters or digits at all (`*`) is spelled out from its
/// characters' names so that it still has a stable, readable variant.
pub fn variant_name(value: &str) -> Ident {
    let camel = value.to_upper_camel_case();
    let camel = if camel.is_empty() {
        spell_symbols(value)
    } else {
        camel
    };
    not_unknown(escape(fix_start(camel, "V")))
}

/// The name of the `n`-th enum value (from 2) whose name another value of the same enum
/// already has (`INVALID_REQUEST` and `invalid_request` are `InvalidRequest` and
/// `InvalidRequest2`, in model order): values are distinct strings, so the enum must
/// have a variant for each.
pub fn numbered_variant_name(first: &Ident, n: usize) -> Ident {
    Ident(format!("{}{n}", first.unraw()))
}

/// The variant name of a union member or a fault (`defaultErrorDetails` -> `DefaultErrorDetails`).
pub fn union_variant_name(member: &str) -> Ident {
    not_unknown(escape(fix_start(member.to_upper_camel_case(), "V")))
}

/// `Unknown` is the generated catch-all variant of enums and unions; a model value or
/// member spelled `unknown` becomes `UnknownValue` (as in the official SDKs).
fn not_unknown(name: Ident) -> Ident {
    if name.as_str() == "Unknown" {
        Ident("UnknownValue".to_string())
    } else {
        name
    }
}

fn spell_symbols(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        let word = match c {
            '*' => "Star",
            '+' => "Plus",
            '-' => "Minus",
            '.' => "Dot",
            '/' => "Slash",
            ':' => "Colon",
            '=' => "Equals",
            '<' => "Less",
            '>' => "Greater",
            '!' => "Bang",
            '?' => "Question",
            '_' => "Underscore",
            ' ' => "Space",
            _ => "Symbol",
        };
        out.push_str(word);
    }
    if out.is_empty() {
        "Empty".to_string()
    } else {
        out
    }
}

/// Records the names given in one scope (a struct's fields, an enum's variants, a module's
/// types) and reports the first clash.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeMap<String, String>,
}

impl Scope {
    /// A scope in which some names are already used by the generator itself.
    pub fn with_reserved(reserved: &[(&str, &str)]) -> Self {
        let mut scope = Scope::default();
        for (rust, why) in reserved {
            scope.taken.insert((*rust).to_string(), (*why).to_string());
        }
        scope
    }

    /// Claims `rust` for `source`; on a clash returns the source that had it first.
    pub fn claim(&mut self, rust: &Ident, source: &str) -> Result<(), String> {
        let key = rust.unraw().to_string();
        match self.taken.get(&key) {
            Some(first) => Err(first.clone()),
            None => {
                self.taken.insert(key, source.to_string());
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_heck_snake_case() {
        assert_eq!(
            field_name("PostgreSQLSettings").as_str(),
            "postgre_sql_settings"
        );
        assert_eq!(
            field_name("ReplicationInstanceArn").as_str(),
            "replication_instance_arn"
        );
        assert_eq!(field_name("IBMDb2Settings").as_str(), "ibm_db2_settings");
        assert_eq!(field_name("S3Settings").as_str(), "s3_settings");
        assert_eq!(field_name("message").as_str(), "message");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field_name("Type").as_str(), "r#type");
        assert_eq!(field_name("Match").as_str(), "r#match");
        assert_eq!(field_name("async").as_str(), "r#async");
        assert_eq!(field_name("Self").as_str(), "self_");
        assert_eq!(field_name("Super").as_str(), "super_");
        assert_eq!(field_name("Crate").as_str(), "crate_");
        assert_eq!(field_name("New").as_str(), "new_");
        assert_eq!(type_name("Self").as_str(), "Self_");
        assert_eq!(type_name("Type").as_str(), "Type");
        assert_eq!(module_name("Match").as_str(), "r#match");
        assert_eq!(variant_name("self").as_str(), "Self_");
    }

    #[test]
    fn enum_values_become_variants() {
        assert_eq!(variant_name("verify-ca").as_str(), "VerifyCa");
        assert_eq!(variant_name("parquet-1-0").as_str(), "Parquet10");
        assert_eq!(variant_name("full-load-and-cdc").as_str(), "FullLoadAndCdc");
        assert_eq!(variant_name("UP_TO_DATE").as_str(), "UpToDate");
        assert_eq!(variant_name("scram_sha_1").as_str(), "ScramSha1");
        assert_eq!(variant_name("1.0").as_str(), "V10");
        assert_eq!(variant_name("*").as_str(), "Star");
        assert_eq!(variant_name("").as_str(), "Empty");
        assert_eq!(variant_name("UNKNOWN").as_str(), "UnknownValue");
        assert_eq!(union_variant_name("unknown").as_str(), "UnknownValue");
    }

    #[test]
    fn digits_first_get_a_prefix() {
        assert_eq!(field_name("3DSettings").as_str(), "field_3d_settings");
        assert_eq!(type_name("2Things").as_str(), "Shape2things");
        // Non-ASCII letters are dropped, so every name is a valid identifier.
        assert_eq!(field_name("Größe²").as_str(), "gre");
        assert_eq!(field_name("²").as_str(), "field_");
        assert!(type_name("Ünïcode")
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn derived_names() {
        assert_eq!(
            operation_type_name("DeleteConnection", "Input").as_str(),
            "DeleteConnectionInput"
        );
        assert_eq!(
            setter_name(&field_name("message"), true).as_str(),
            "with_message"
        );
        assert_eq!(setter_name(&field_name("Type"), true).as_str(), "with_type");
        assert_eq!(setter_name(&field_name("Type"), false).as_str(), "r#type");
        assert_eq!(
            required_struct_name(&type_name("CreateEndpointInput")).as_str(),
            "CreateEndpointInputRequired"
        );
        assert_eq!(
            is_variant_fn(&union_variant_name("ResourceNotFoundFault")).as_str(),
            "is_resource_not_found_fault"
        );
        assert_eq!(
            paginator_method(&module_name("DescribeEndpoints")).as_str(),
            "describe_endpoints_paginator"
        );
        assert_eq!(
            waiter_method("ReplicationTaskReady").as_str(),
            "wait_until_replication_task_ready"
        );
    }

    #[test]
    fn file_names_are_never_paths() {
        assert_eq!(file_name("dms"), "dms.rs");
        assert_eq!(file_name("runtime.sagemaker"), "runtime_sagemaker.rs");
        assert_eq!(file_name("../../etc/x"), "etc_x.rs");
        assert_eq!(file_name("/"), "service.rs");
        assert_eq!(file_name(""), "service.rs");
    }

    #[test]
    fn types_are_upper_camel() {
        assert_eq!(type_name("IBMDb2Settings").as_str(), "IbmDb2Settings");
        assert_eq!(
            type_name("DeleteConnectionMessage").as_str(),
            "DeleteConnectionMessage"
        );
        assert_eq!(type_name("tag").as_str(), "Tag");
    }

    #[test]
    fn scope_reports_the_first_owner() {
        let mut scope = Scope::with_reserved(&[("Unknown", "the unknown-value variant")]);
        assert!(scope.claim(&variant_name("verify-ca"), "verify-ca").is_ok());
        assert_eq!(
            scope.claim(&variant_name("verify_ca"), "verify_ca"),
            Err("verify-ca".into())
        );
        assert_eq!(
            scope.claim(&Ident("Unknown".into()), "Unknown"),
            Err("the unknown-value variant".into())
        );
        // Raw and plain spellings of one word clash too.
        let mut fields = Scope::default();
        fields.claim(&field_name("Type"), "Type").unwrap();
        assert!(fields.claim(&Ident("type".into()), "type").is_err());
    }
}
