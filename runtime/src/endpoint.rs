//! Endpoint resolution: an interpreter for the `endpoint-rule-set-1.json` files botocore
//! ships with each model, and the partitions table (`data/partitions.json`, copied
//! verbatim from botocore 1.44.8) behind the `aws.partition` function.

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fmt;

/// The inputs of endpoint resolution (the rule set's parameters). `Debug` hides the user
/// info of the endpoint URL.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// `Region` (`AWS::Region`).
    pub region: Option<String>,
    /// `UseFIPS` (`AWS::UseFIPS`).
    pub use_fips: bool,
    /// `UseDualStack` (`AWS::UseDualStack`).
    pub use_dual_stack: bool,
    /// `Endpoint` (`SDK::Endpoint`): an explicit endpoint URL.
    pub endpoint: Option<String>,
    /// S3's and S3 Control's own built-ins.
    pub s3: S3Params,
}

/// S3's and S3 Control's built-in rule-set parameters, as botocore computes them from its
/// `s3` configuration (`compute_endpoint_resolver_builtin_defaults`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Params {
    /// `AWS::S3::ForcePathStyle`.
    pub force_path_style: bool,
    /// `AWS::S3::Accelerate`.
    pub accelerate: bool,
    /// `AWS::S3::UseArnRegion` (S3; default true) and `AWS::S3Control::UseArnRegion`
    /// (S3 Control; default false), when configured.
    pub use_arn_region: Option<bool>,
    /// `AWS::S3::DisableMultiRegionAccessPoints`.
    pub disable_multi_region_access_points: bool,
    /// `AWS::S3::UseGlobalEndpoint`: `s3.amazonaws.com` for `us-east-1`.
    pub use_global_endpoint: bool,
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Params")
            .field("region", &self.region)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("endpoint", &self.endpoint.as_deref().map(redact_userinfo))
            .field("s3", &self.s3)
            .finish()
    }
}

/// A resolved endpoint. `Debug` hides the user info of the URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL requests are sent to (`https://dms.us-east-1.amazonaws.com`).
    pub url: String,
    /// Headers the rule set asks to send.
    pub headers: Vec<(String, String)>,
    /// The `authSchemes` property, in the rule set's order of preference (S3's rules
    /// name the signing name and region here: `s3-outposts`, `us-east-1` for the global
    /// endpoint).
    pub auth_schemes: Vec<AuthScheme>,
}

/// One of an endpoint's `authSchemes`: how requests to it are signed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthScheme {
    /// `sigv4`, `sigv4a`, `sigv4-s3express`, ...
    pub name: String,
    /// `signingName`, when the rules set it.
    pub signing_name: Option<String>,
    /// `signingRegion` (or the first of `signingRegionSet`), when the rules set it.
    pub signing_region: Option<String>,
    /// `disableDoubleEncoding`: the path is signed as sent, encoded once.
    pub disable_double_encoding: bool,
}

impl Endpoint {
    /// The first of [`auth_schemes`](Self::auth_schemes) this client can sign with
    /// (`sigv4`, or `sigv4-s3express`: SigV4 with an S3 Express session's credentials),
    /// as botocore takes the first it supports; `Ok(None)` when the endpoint names none,
    /// and an error naming them when it names only others (SigV4a).
    pub fn sigv4_scheme(&self) -> Result<Option<&AuthScheme>, EndpointError> {
        if self.auth_schemes.is_empty() {
            return Ok(None);
        }
        let supported = |a: &&AuthScheme| a.name == "sigv4" || a.name == S3_EXPRESS;
        match self.auth_schemes.iter().find(supported) {
            Some(a) => Ok(Some(a)),
            None => Err(EndpointError::Rules(format!(
                "the endpoint asks for {}, which this client cannot sign with (SigV4 only)",
                self.auth_schemes
                    .iter()
                    .map(|a| format!("`{}`", a.name))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
        }
    }

    /// Whether requests to this endpoint are signed with an S3 Express session's
    /// credentials (the scheme [`sigv4_scheme`](Self::sigv4_scheme) chooses is
    /// `sigv4-s3express`: a directory bucket's zonal endpoint).
    pub fn s3_express(&self) -> bool {
        matches!(self.sigv4_scheme(), Ok(Some(a)) if a.name == S3_EXPRESS)
    }
}

/// The auth scheme of S3 Express One Zone's session authentication.
const S3_EXPRESS: &str = "sigv4-s3express";

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &redact_userinfo(&self.url))
            .field("headers", &self.headers)
            .field("auth_schemes", &self.auth_schemes)
            .finish()
    }
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rule set says the configuration is invalid (FIPS with a custom endpoint, no
    /// region, ...): its message, verbatim.
    Rules(String),
    /// The rule set could not be read or uses something this interpreter lacks.
    RuleSet(String),
    /// The endpoint URL cannot be sent to (not http or https, no host, not a URL). The
    /// text shows the URL without any user name or password in it.
    InvalidUrl(String),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Rules(m) => write!(f, "endpoint resolution failed: {m}"),
            EndpointError::RuleSet(m) => write!(f, "endpoint rule set is unusable: {m}"),
            EndpointError::InvalidUrl(m) => write!(f, "invalid endpoint: {m}"),
        }
    }
}

impl std::error::Error for EndpointError {}

// The rule set's structures, read from its JSON by hand (`from_json`) rather than by serde
// derives: each derive monomorphized serde_json's deserializer again in every build, and
// reading them by hand names what is wrong with an unusable rule set.

#[derive(Debug)]
struct RuleSet {
    /// By name, in name order.
    parameters: Vec<(String, ParamDef)>,
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct ParamDef {
    built_in: Option<String>,
    default: Option<Json>,
    required: bool,
}

#[derive(Debug)]
struct Rule {
    conditions: Vec<Condition>,
    kind: String,
    rules: Vec<Rule>,
    endpoint: Option<EndpointDef>,
    error: Option<Json>,
}

#[derive(Debug)]
struct Condition {
    func: String,
    argv: Vec<Json>,
    assign: Option<String>,
}

#[derive(Debug)]
struct EndpointDef {
    url: Json,
    /// By header name, in name order.
    headers: Vec<(String, Vec<Json>)>,
    /// `properties.authSchemes`, as written (templates evaluated when it matches).
    auth_schemes: Option<Json>,
}

type JsonObject = serde_json::Map<String, Json>;

/// `json` as an object, or an error naming `what`.
fn object<'a>(json: &'a Json, what: &str) -> Result<&'a JsonObject, EndpointError> {
    json.as_object()
        .ok_or_else(|| rs_err(format!("{what} is not an object")))
}

/// A member that is absent or `null` reads as `None`.
fn member<'a>(o: &'a JsonObject, key: &str) -> Option<&'a Json> {
    o.get(key).filter(|v| !v.is_null())
}

/// A string member, required or not.
fn string_member(o: &JsonObject, key: &str, what: &str) -> Result<Option<String>, EndpointError> {
    match member(o, key) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(rs_err(format!("`{key}` of {what} is not a string"))),
    }
}

/// A list member; absent is empty.
fn list_member<'a>(o: &'a JsonObject, key: &str, what: &str) -> Result<&'a [Json], EndpointError> {
    match member(o, key) {
        None => Ok(&[]),
        Some(Json::Array(items)) => Ok(items),
        Some(_) => Err(rs_err(format!("`{key}` of {what} is not a list"))),
    }
}

impl RuleSet {
    fn from_json(json: &Json) -> Result<Self, EndpointError> {
        let o = object(json, "the rule set")?;
        let mut parameters = Vec::new();
        if let Some(params) = member(o, "parameters") {
            for (name, def) in object(params, "`parameters`")? {
                let what = format!("parameter `{name}`");
                let d = object(def, &what)?;
                let required = match member(d, "required") {
                    None => false,
                    Some(Json::Bool(b)) => *b,
                    Some(_) => {
                        return Err(rs_err(format!("`required` of {what} is not a boolean")))
                    }
                };
                parameters.push((
                    name.clone(),
                    ParamDef {
                        built_in: string_member(d, "builtIn", &what)?,
                        default: member(d, "default").cloned(),
                        required,
                    },
                ));
            }
        }
        if member(o, "rules").is_none() {
            return Err(rs_err("the rule set has no `rules`"));
        }
        let rules = Rule::list(list_member(o, "rules", "the rule set")?)?;
        Ok(RuleSet { parameters, rules })
    }
}

impl Rule {
    fn list(items: &[Json]) -> Result<Vec<Rule>, EndpointError> {
        items.iter().map(Rule::from_json).collect()
    }

    fn from_json(json: &Json) -> Result<Self, EndpointError> {
        let o = object(json, "a rule")?;
        let kind =
            string_member(o, "type", "a rule")?.ok_or_else(|| rs_err("a rule has no `type`"))?;
        let conditions = list_member(o, "conditions", "a rule")?
            .iter()
            .map(|c| {
                let c = object(c, "a condition")?;
                Ok(Condition {
                    func: string_member(c, "fn", "a condition")?
                        .ok_or_else(|| rs_err("a condition has no `fn`"))?,
                    argv: list_member(c, "argv", "a condition")?.to_vec(),
                    assign: string_member(c, "assign", "a condition")?,
                })
            })
            .collect::<Result<_, EndpointError>>()?;
        let endpoint = match member(o, "endpoint") {
            None => None,
            Some(e) => {
                let e = object(e, "an endpoint")?;
                let url = member(e, "url")
                    .cloned()
                    .ok_or_else(|| rs_err("an endpoint has no `url`"))?;
                let mut headers = Vec::new();
                if let Some(h) = member(e, "headers") {
                    for (name, values) in object(h, "an endpoint's `headers`")? {
                        match values {
                            Json::Array(values) => headers.push((name.clone(), values.clone())),
                            _ => return Err(rs_err(format!("header `{name}` is not a list"))),
                        }
                    }
                }
                let auth_schemes = member(e, "properties")
                    .and_then(|p| p.get("authSchemes"))
                    .cloned();
                Some(EndpointDef {
                    url,
                    headers,
                    auth_schemes,
                })
            }
        };
        Ok(Rule {
            conditions,
            kind,
            rules: Rule::list(list_member(o, "rules", "a rule")?)?,
            endpoint,
            error: member(o, "error").cloned(),
        })
    }
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    fn from_json(j: &Json) -> Option<Value> {
        Some(match j {
            Json::String(s) => Value::Str(s.clone()),
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Int(n.as_i64()?),
            Json::Array(a) => Value::Array(a.iter().filter_map(Value::from_json).collect()),
            // `extend`, not `collect`, here and in `partition`: collecting a map sorts its
            // entries first, another instantiation of the stable sort in every build.
            Json::Object(o) => {
                let mut members = BTreeMap::new();
                members.extend(
                    o.iter()
                        .filter_map(|(k, v)| Some((k.clone(), Value::from_json(v)?))),
                );
                Value::Object(members)
            }
            Json::Null => return None,
        })
    }
}

type Scope = BTreeMap<String, Value>;

fn rs_err(m: impl Into<String>) -> EndpointError {
    EndpointError::RuleSet(m.into())
}

/// A parsed rule set, ready to resolve endpoints.
#[derive(Debug)]
pub struct Resolver {
    rules: RuleSet,
    /// The endpoints resolved so far, by the parameters' values ([`cache_key`]): rules are
    /// a pure function of them, and a call whose input sets a parameter (S3's `Bucket`)
    /// would otherwise walk S3's rule set each time (about a fifth of a small GetObject's
    /// CPU, `bench/s3.py`). At most [`CACHED_ENDPOINTS`], emptied when full.
    cache: std::sync::Mutex<std::collections::HashMap<Vec<u8>, Endpoint>>,
}

/// How many resolved endpoints a [`Resolver`] keeps (one per bucket, for S3).
const CACHED_ENDPOINTS: usize = 512;

impl Resolver {
    /// Parses a rule set (`endpoint-rule-set-1.json`).
    pub fn new(json: &str) -> Result<Self, EndpointError> {
        let json: Json =
            serde_json::from_slice(json.as_bytes()).map_err(|e| rs_err(e.to_string()))?;
        Ok(Resolver {
            rules: RuleSet::from_json(&json)?,
            cache: Default::default(),
        })
    }

    /// Resolves the endpoint for `params`.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        self.resolve_with(|_, def| builtin(params, def))
    }

    /// Resolves the endpoint for parameters given by their names in the rule set
    /// (`{"Region": "us-east-1", "UseFIPS": true, "AccountId": "..."}`), as botocore's
    /// endpoint tests give them; for the test harness that runs every service's tests.
    #[doc(hidden)]
    pub fn resolve_named(
        &self,
        given: &serde_json::Map<String, Json>,
    ) -> Result<Endpoint, EndpointError> {
        self.resolve_with(|name, _| given.get(name).and_then(Value::from_json))
    }

    fn resolve_with(
        &self,
        given_of: impl Fn(&str, &ParamDef) -> Option<Value>,
    ) -> Result<Endpoint, EndpointError> {
        let mut values = Vec::with_capacity(self.rules.parameters.len());
        let mut key = Vec::new();
        for (name, def) in &self.rules.parameters {
            let given = given_of(name, def);
            let value = given.or_else(|| def.default.as_ref().and_then(Value::from_json));
            if value.is_none() && def.required {
                return Err(EndpointError::Rules(format!(
                    "missing required parameter `{name}`"
                )));
            }
            cache_key(value.as_ref(), &mut key);
            values.push(value);
        }
        let cache = || {
            self.cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(endpoint) = cache().get(&key) {
            return Ok(endpoint.clone());
        }
        let scope: Scope = self
            .rules
            .parameters
            .iter()
            .zip(values)
            .filter_map(|((name, _), v)| Some((name.clone(), v?)))
            .collect();
        match eval_rules(&self.rules.rules, &scope)? {
            Some(endpoint) => {
                let mut cache = cache();
                if cache.len() >= CACHED_ENDPOINTS {
                    cache.clear();
                }
                cache.insert(key, endpoint.clone());
                Ok(endpoint)
            }
            None => Err(EndpointError::Rules("no rule matched".into())),
        }
    }
}

/// Appends `value` to a cache key, unambiguously (tagged, lengths before contents).
fn cache_key(value: Option<&Value>, key: &mut Vec<u8>) {
    let len = |n: usize, key: &mut Vec<u8>| key.extend_from_slice(&(n as u64).to_le_bytes());
    match value {
        None => key.push(0),
        Some(Value::Str(s)) => {
            key.push(1);
            len(s.len(), key);
            key.extend_from_slice(s.as_bytes());
        }
        Some(Value::Bool(b)) => key.extend_from_slice(&[2, *b as u8]),
        Some(Value::Int(i)) => {
            key.push(3);
            key.extend_from_slice(&i.to_le_bytes());
        }
        Some(Value::Array(items)) => {
            key.push(4);
            len(items.len(), key);
            for item in items {
                cache_key(Some(item), key);
            }
        }
        Some(Value::Object(fields)) => {
            key.push(5);
            len(fields.len(), key);
            for (k, v) in fields {
                len(k.len(), key);
                key.extend_from_slice(k.as_bytes());
                cache_key(Some(v), key);
            }
        }
    }
}

fn eval_rules(rules: &[Rule], scope: &Scope) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let mut local = scope.clone();
        if !conditions_hold(&rule.conditions, &mut local)? {
            continue;
        }
        match rule.kind.as_str() {
            "tree" => {
                // A tree whose conditions hold is terminal: if none of its rules matches,
                // resolution fails (the rules language requires trees to be exhaustive).
                return match eval_rules(&rule.rules, &local)? {
                    Some(ep) => Ok(Some(ep)),
                    None => Err(EndpointError::Rules(
                        "no rule matched in a tree whose conditions held".into(),
                    )),
                };
            }
            "endpoint" => {
                let def = rule
                    .endpoint
                    .as_ref()
                    .ok_or_else(|| rs_err("endpoint rule without `endpoint`"))?;
                let url = match eval(&def.url, &local)? {
                    Some(Value::Str(s)) => s,
                    other => {
                        return Err(rs_err(format!("endpoint url is not a string: {other:?}")))
                    }
                };
                let mut headers = Vec::new();
                for (k, values) in &def.headers {
                    for v in values {
                        if let Some(Value::Str(s)) = eval(v, &local)? {
                            headers.push((k.clone(), s));
                        }
                    }
                }
                let auth_schemes = match &def.auth_schemes {
                    Some(a) => auth_schemes(eval(a, &local)?)?,
                    None => Vec::new(),
                };
                return Ok(Some(Endpoint {
                    url,
                    headers,
                    auth_schemes,
                }));
            }
            "error" => {
                let msg = match rule
                    .error
                    .as_ref()
                    .map(|e| eval(e, &local))
                    .transpose()?
                    .flatten()
                {
                    Some(Value::Str(s)) => s,
                    other => format!("{other:?}"),
                };
                return Err(EndpointError::Rules(msg));
            }
            other => return Err(rs_err(format!("unknown rule type `{other}`"))),
        }
    }
    Ok(None)
}

/// An endpoint's evaluated `authSchemes` list.
fn auth_schemes(value: Option<Value>) -> Result<Vec<AuthScheme>, EndpointError> {
    let Some(Value::Array(items)) = value else {
        return Err(rs_err("`authSchemes` is not a list"));
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(o) = item else {
                return Err(rs_err("an auth scheme is not an object"));
            };
            let text = |k: &str| match o.get(k) {
                Some(Value::Str(s)) => Some(s.clone()),
                _ => None,
            };
            let first_of_set = match o.get("signingRegionSet") {
                Some(Value::Array(set)) => match set.first() {
                    Some(Value::Str(s)) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            };
            Ok(AuthScheme {
                name: text("name").ok_or_else(|| rs_err("an auth scheme has no `name`"))?,
                signing_name: text("signingName"),
                signing_region: text("signingRegion").or(first_of_set),
                disable_double_encoding: matches!(
                    o.get("disableDoubleEncoding"),
                    Some(Value::Bool(true))
                ),
            })
        })
        .collect()
}

fn conditions_hold(conds: &[Condition], scope: &mut Scope) -> Result<bool, EndpointError> {
    for c in conds {
        let v = call(&c.func, &c.argv, scope)?;
        let holds = match &v {
            None | Some(Value::Bool(false)) => false,
            Some(_) => true,
        };
        if !holds {
            return Ok(false);
        }
        if let (Some(name), Some(v)) = (&c.assign, v) {
            scope.insert(name.clone(), v);
        }
    }
    Ok(true)
}

fn eval(expr: &Json, scope: &Scope) -> Result<Option<Value>, EndpointError> {
    match expr {
        Json::String(s) => template(s, scope).map(|s| Some(Value::Str(s))),
        Json::Object(o) if o.contains_key("ref") => {
            let name = o
                .get("ref")
                .and_then(Json::as_str)
                .ok_or_else(|| rs_err("`ref` is not a string"))?;
            Ok(scope.get(name).cloned())
        }
        Json::Object(o) if o.contains_key("fn") => {
            let f = o
                .get("fn")
                .and_then(Json::as_str)
                .ok_or_else(|| rs_err("`fn` is not a string"))?;
            let argv = o
                .get("argv")
                .and_then(Json::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            call(f, argv, scope)
        }
        Json::Object(o) => {
            let mut out = BTreeMap::new();
            for (k, v) in o {
                if let Some(v) = eval(v, scope)? {
                    out.insert(k.clone(), v);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        Json::Array(a) => {
            let mut out = Vec::new();
            for v in a {
                if let Some(v) = eval(v, scope)? {
                    out.push(v);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        other => Ok(Value::from_json(other)),
    }
}

/// Expands `{Name}` and `{Name#attr.path}`; `{{` and `}}` are literal braces.
fn template(s: &str, scope: &Scope) -> Result<String, EndpointError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push(tail.as_bytes()[0] as char);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err(rs_err(format!("unbalanced `}}` in template `{s}`")));
        }
        let end = tail
            .find('}')
            .ok_or_else(|| rs_err(format!("unclosed `{{` in template `{s}`")))?;
        let var = &tail[1..end];
        let (name, path) = match var.split_once('#') {
            Some((n, p)) => (n, Some(p)),
            None => (var, None),
        };
        let mut v = scope
            .get(name)
            .cloned()
            .ok_or_else(|| rs_err(format!("template refers to unset `{name}`")))?;
        if let Some(p) = path {
            v = get_attr(&v, p)
                .ok_or_else(|| rs_err(format!("template attribute `{var}` is not set")))?;
        }
        match v {
            Value::Str(s) => out.push_str(&s),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Int(n) => out.push_str(&n.to_string()),
            other => {
                return Err(rs_err(format!(
                    "template value `{var}` is not a string: {other:?}"
                )))
            }
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn get_attr(v: &Value, path: &str) -> Option<Value> {
    let mut cur = v.clone();
    for part in path.split('.') {
        let (key, index) = match part.find('[') {
            Some(i) => (
                &part[..i],
                part[i + 1..]
                    .strip_suffix(']')
                    .and_then(|n| n.parse::<usize>().ok()),
            ),
            None => (part, None),
        };
        if !key.is_empty() {
            cur = match cur {
                Value::Object(o) => o.get(key)?.clone(),
                _ => return None,
            };
        }
        if let Some(i) = index {
            cur = match cur {
                Value::Array(a) => a.get(i)?.clone(),
                _ => return None,
            };
        }
    }
    Some(cur)
}

fn call(f: &str, argv: &[Json], scope: &Scope) -> Result<Option<Value>, EndpointError> {
    let args: Vec<Option<Value>> = argv
        .iter()
        .map(|a| eval(a, scope))
        .collect::<Result<_, _>>()?;
    let arg = |i: usize| args.get(i).cloned().flatten();
    let str_arg = |i: usize| match arg(i) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    };
    Ok(match f {
        "isSet" => Some(Value::Bool(arg(0).is_some())),
        "not" => match arg(0) {
            Some(Value::Bool(b)) => Some(Value::Bool(!b)),
            _ => Some(Value::Bool(true)),
        },
        "booleanEquals" => Some(Value::Bool(
            matches!((arg(0), arg(1)), (Some(Value::Bool(a)), Some(Value::Bool(b))) if a == b),
        )),
        "stringEquals" => Some(Value::Bool(
            matches!((arg(0), arg(1)), (Some(Value::Str(a)), Some(Value::Str(b))) if a == b),
        )),
        "getAttr" => match (arg(0), str_arg(1)) {
            (Some(v), Some(p)) => get_attr(&v, &p),
            _ => None,
        },
        "aws.partition" => str_arg(0).and_then(|r| partition(&r)),
        "aws.isVirtualHostableS3Bucket" => {
            let allow_dots = matches!(arg(1), Some(Value::Bool(true)));
            str_arg(0).map(|s| Value::Bool(is_virtual_hostable_s3_bucket(&s, allow_dots)))
        }
        "isValidHostLabel" => {
            let allow_dots = matches!(arg(1), Some(Value::Bool(true)));
            str_arg(0).map(|s| Value::Bool(is_valid_host_label(&s, allow_dots)))
        }
        "substring" => match (str_arg(0), arg(1), arg(2), arg(3)) {
            (
                Some(s),
                Some(Value::Int(start)),
                Some(Value::Int(stop)),
                Some(Value::Bool(reverse)),
            ) => substring(&s, start, stop, reverse).map(Value::Str),
            _ => None,
        },
        "uriEncode" => str_arg(0).map(|s| {
            let mut out = String::new();
            for b in s.bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        out.push(b as char)
                    }
                    _ => out.push_str(&format!("%{b:02X}")),
                }
            }
            Value::Str(out)
        }),
        "parseURL" => str_arg(0).and_then(|u| parse_url(&u)),
        "aws.parseArn" => str_arg(0).and_then(|a| parse_arn(&a)),
        other => return Err(rs_err(format!("unsupported rule function `{other}`"))),
    })
}

fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !s.is_ascii() || start < 0 || stop <= start || stop as usize > s.len() {
        return None;
    }
    let (start, stop) = (start as usize, stop as usize);
    let (a, b) = if reverse {
        (s.len() - stop, s.len() - start)
    } else {
        (start, stop)
    };
    Some(s[a..b].to_string())
}

/// A DNS label (or dotted labels when `allow_dots`): 1-63 of `[A-Za-z0-9-]`, not starting with `-`.
pub fn is_valid_host_label(s: &str, allow_dots: bool) -> bool {
    if allow_dots {
        return s.split('.').all(|l| is_valid_host_label(l, false));
    }
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `aws.isVirtualHostableS3Bucket`, as botocore's: at least 3 characters, no upper case,
/// not an IPv4 address (`(?:[0-9]{1,3}\.){3}[0-9]{1,3}`), and a host label (or labels).
fn is_virtual_hostable_s3_bucket(s: &str, allow_dots: bool) -> bool {
    let ipv4 = {
        let parts: Vec<&str> = s.split('.').collect();
        parts.len() == 4
            && parts
                .iter()
                .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    s.chars().count() >= 3 && s.to_lowercase() == s && !ipv4 && is_valid_host_label(s, allow_dots)
}

fn parse_url(u: &str) -> Option<Value> {
    let (scheme, rest) = u.split_once("://")?;
    if scheme != "http" && scheme != "https" || rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let host = authority
        .rsplit_once(':')
        .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
        .map(|(h, _)| h)
        .unwrap_or(authority);
    let is_ip = host.starts_with('[')
        || host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok());
    let normalized = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let mut o = BTreeMap::new();
    o.insert("scheme".into(), Value::Str(scheme.into()));
    o.insert("authority".into(), Value::Str(authority.into()));
    o.insert("path".into(), Value::Str(path.into()));
    o.insert("normalizedPath".into(), Value::Str(normalized));
    o.insert("isIp".into(), Value::Bool(is_ip));
    Some(Value::Object(o))
}

/// `arn:partition:service:region:account:resource` -> its parts; the resource is split on
/// `:` and `/`. `None` unless partition, service and resource are non-empty.
fn parse_arn(arn: &str) -> Option<Value> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let ids = resource
        .split([':', '/'])
        .map(|p| Value::Str(p.to_string()))
        .collect();
    let mut o = BTreeMap::new();
    o.insert("partition".into(), Value::Str(partition.into()));
    o.insert("service".into(), Value::Str(service.into()));
    o.insert("region".into(), Value::Str(region.into()));
    o.insert("accountId".into(), Value::Str(account.into()));
    o.insert("resourceId".into(), Value::Array(ids));
    Some(Value::Object(o))
}

/// Where a request goes: the endpoint URL with a host prefix applied, parsed once.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) uri: http::Uri,
    /// `host[:port]` as signed (the port only when not the scheme's default).
    pub(crate) host: String,
    /// The same, as the `Host` header sent.
    pub(crate) host_header: http::HeaderValue,
    pub(crate) path: String,
    /// The endpoint URL's own path, as the rules or the configuration gave it (S3's
    /// path-style `/bucket`), which a REST request's path is joined to.
    pub(crate) base_path: String,
    /// The query string as sent (encoded), empty for the JSON protocols.
    pub(crate) query: String,
}

impl Target {
    /// The target of a REST request: `request_path` (`/things/a%20b?x=1`, encoded)
    /// joined to the endpoint's path as botocore's `_urljoin` does (`https://h/base` and
    /// `/things` give `/base/things`), its query kept apart for signing.
    pub(crate) fn with_request_path(&self, request_path: &str) -> Result<Self, EndpointError> {
        let (path, query) = match request_path.split_once('?') {
            Some((p, q)) => (p, q),
            None => (request_path, ""),
        };
        // botocore's `_urljoin`, on the endpoint's path as the rules gave it.
        let base = self.base_path.as_str();
        let path = if path.is_empty() || path == "/" {
            if base.is_empty() {
                "/".to_string()
            } else {
                base.to_string()
            }
        } else if let (Some(b), true) = (base.strip_suffix('/'), path.starts_with('/')) {
            format!("{b}{path}")
        } else {
            format!("{base}{path}")
        };
        let scheme = self.uri.scheme_str().unwrap_or("https");
        let authority = self.uri.authority().map(|a| a.as_str()).unwrap_or_default();
        let full = if query.is_empty() {
            format!("{scheme}://{authority}{path}")
        } else {
            format!("{scheme}://{authority}{path}?{query}")
        };
        let uri = full.parse().map_err(|e| {
            EndpointError::InvalidUrl(format!(
                "`{}` is not a valid URL: {e}",
                redact_userinfo(&full)
            ))
        })?;
        Ok(Target {
            uri,
            host: self.host.clone(),
            host_header: self.host_header.clone(),
            path,
            base_path: self.base_path.clone(),
            query: query.to_string(),
        })
    }

    pub(crate) fn new(url: &str, host_prefix: Option<&str>) -> Result<Self, EndpointError> {
        let uri: http::Uri = url.parse().map_err(|e| {
            EndpointError::InvalidUrl(format!(
                "`{}` is not a valid URL: {e}",
                redact_userinfo(url)
            ))
        })?;
        let scheme = uri
            .scheme_str()
            .ok_or_else(|| {
                EndpointError::InvalidUrl(format!("`{}` has no scheme", redact_userinfo(url)))
            })?
            .to_string();
        if scheme != "http" && scheme != "https" {
            return Err(EndpointError::InvalidUrl(format!(
                "`{}` must be http or https",
                redact_userinfo(url)
            )));
        }
        let host = uri.host().ok_or_else(|| {
            EndpointError::InvalidUrl(format!("`{}` has no host", redact_userinfo(url)))
        })?;
        let host = match host_prefix {
            Some(p) => format!("{p}{host}"),
            None => host.to_string(),
        };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let authority = match uri.port_u16() {
            Some(p) if p != default_port => format!("{host}:{p}"),
            _ => host,
        };
        // The operation's request URI (`/` for the JSON protocols) joined to the
        // endpoint's path: `https://example.com/custom` sends to `/custom/`.
        let base_path = uri.path();
        let path = match base_path {
            "" | "/" => "/".to_string(),
            p if p.ends_with('/') => p.to_string(),
            p => format!("{p}/"),
        };
        let full = format!("{scheme}://{authority}{path}");
        let uri = full.parse().map_err(|e| {
            EndpointError::InvalidUrl(format!(
                "`{}` is not a valid URL: {e}",
                redact_userinfo(&full)
            ))
        })?;
        let host_header = http::HeaderValue::from_str(&authority).map_err(|e| {
            EndpointError::InvalidUrl(format!(
                "`{}` is not a valid host: {e}",
                redact_userinfo(&full)
            ))
        })?;
        Ok(Target {
            uri,
            host_header,
            host: authority,
            path,
            base_path: base_path.to_string(),
            query: String::new(),
        })
    }
}

/// A value an operation gives a rule-set parameter (the model's `staticContextParams`:
/// ACM's `ServiceType`, Neptune Analytics' `ApiType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticParam {
    /// A string.
    Str(&'static str),
    /// A boolean.
    Bool(bool),
}

/// A value one call gives a rule-set parameter from its input (the model's
/// `contextParams`: Kinesis's `StreamARN`, DynamoDB's `TableName`, S3's `Bucket`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextParam {
    /// A string member.
    Str(String),
    /// A boolean member.
    Bool(bool),
}

/// [`resolve`] with an operation's `staticContextParams` and a call's `contextParams`
/// bound by name, before the built-ins, in botocore's order (static, then the input's,
/// then the configuration's). `resolver`: the service's rule set, parsed once.
pub(crate) fn resolve_for_operation(
    resolver: Option<&Resolver>,
    endpoint_prefix: &str,
    params: &Params,
    statics: &[(&'static str, StaticParam)],
    context: &[(&'static str, ContextParam)],
) -> Result<Endpoint, EndpointError> {
    let Some(resolver) = resolver else {
        return resolve(None, endpoint_prefix, params);
    };
    resolver.resolve_with(|name, def| {
        let fixed = statics
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| match v {
                StaticParam::Str(s) => Value::Str((*s).to_string()),
                StaticParam::Bool(b) => Value::Bool(*b),
            });
        fixed
            .or_else(|| {
                context
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| match v {
                        ContextParam::Str(s) => Value::Str(s.clone()),
                        ContextParam::Bool(b) => Value::Bool(*b),
                    })
            })
            .or_else(|| builtin(params, def))
    })
}

/// The value of a built-in parameter from the configuration.
fn builtin(params: &Params, def: &ParamDef) -> Option<Value> {
    match def.built_in.as_deref() {
        Some("AWS::Region") => params.region.clone().map(Value::Str),
        Some("AWS::UseFIPS") => Some(Value::Bool(params.use_fips)),
        Some("AWS::UseDualStack") => Some(Value::Bool(params.use_dual_stack)),
        Some("SDK::Endpoint") => params.endpoint.clone().map(Value::Str),
        Some("AWS::S3::ForcePathStyle") => Some(Value::Bool(params.s3.force_path_style)),
        Some("AWS::S3::Accelerate") => Some(Value::Bool(params.s3.accelerate)),
        Some("AWS::S3::UseArnRegion") => {
            Some(Value::Bool(params.s3.use_arn_region.unwrap_or(true)))
        }
        Some("AWS::S3Control::UseArnRegion") => {
            Some(Value::Bool(params.s3.use_arn_region.unwrap_or(false)))
        }
        Some("AWS::S3::DisableMultiRegionAccessPoints") => {
            Some(Value::Bool(params.s3.disable_multi_region_access_points))
        }
        Some("AWS::S3::UseGlobalEndpoint") => Some(Value::Bool(params.s3.use_global_endpoint)),
        _ => None,
    }
}

/// Resolves an endpoint: by the service's rule set when it has one, else as
/// `https://<endpoint prefix>.<region>.<partition DNS suffix>` (or the explicit URL).
pub(crate) fn resolve(
    rule_set: Option<&str>,
    endpoint_prefix: &str,
    params: &Params,
) -> Result<Endpoint, EndpointError> {
    match rule_set {
        Some(rules) => Resolver::new(rules)?.resolve(params),
        None => match (&params.endpoint, &params.region) {
            (Some(url), _) => Ok(Endpoint {
                url: url.clone(),
                headers: Vec::new(),
                auth_schemes: Vec::new(),
            }),
            (None, Some(region)) => {
                let suffix = dns_suffix(region).unwrap_or_else(|| "amazonaws.com".into());
                Ok(Endpoint {
                    url: format!("https://{}.{region}.{suffix}", endpoint_prefix),
                    headers: Vec::new(),
                    auth_schemes: Vec::new(),
                })
            }
            (None, None) => Err(EndpointError::Rules(
                "Invalid Configuration: Missing Region".into(),
            )),
        },
    }
}

/// A URL for display, with any `user:password@` replaced by `***@`.
pub fn redact_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &url[start + at..]).into(),
        None => url.into(),
    }
}

#[derive(Debug)]
struct Partitions {
    partitions: Vec<PartitionDef>,
}

#[derive(Debug)]
struct PartitionDef {
    id: String,
    outputs: JsonObject,
    region_regex: String,
    /// Region name to `{"outputs": {...}}`, the outputs that differ from the partition's.
    regions: JsonObject,
}

impl Partitions {
    /// `partitions.json`, read by hand as the rule set is.
    fn from_json(json: Json) -> Option<Self> {
        let Json::Object(mut o) = json else {
            return None;
        };
        let Some(Json::Array(list)) = o.remove("partitions") else {
            return None;
        };
        let partitions = list
            .into_iter()
            .map(|p| {
                let Json::Object(mut p) = p else {
                    return None;
                };
                let mut take = |key: &str| p.remove(key);
                match (
                    take("id"),
                    take("outputs"),
                    take("regionRegex"),
                    take("regions"),
                ) {
                    (
                        Some(Json::String(id)),
                        Some(Json::Object(outputs)),
                        Some(Json::String(region_regex)),
                        regions,
                    ) => Some(PartitionDef {
                        id,
                        outputs,
                        region_regex,
                        regions: match regions {
                            Some(Json::Object(r)) => r,
                            None | Some(Json::Null) => JsonObject::new(),
                            Some(_) => return None,
                        },
                    }),
                    _ => None,
                }
            })
            .collect::<Option<_>>()?;
        Some(Partitions { partitions })
    }
}

const PARTITIONS_JSON: &str = include_str!("../data/partitions.json");

fn partitions() -> Option<&'static Partitions> {
    static CELL: std::sync::OnceLock<Option<Partitions>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_slice(PARTITIONS_JSON.as_bytes())
            .ok()
            .and_then(Partitions::from_json)
    })
    .as_ref()
}

/// The id of `region`'s partition (`aws`, `aws-cn`, ...), as `aws.partition` finds it.
pub(crate) fn partition_id(region: &str) -> Option<String> {
    match partition(region)? {
        Value::Object(o) => match o.get("name") {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `aws.partition(region)`: the partition listing the region, else the first whose
/// region pattern matches, else `aws`.
fn partition(region: &str) -> Option<Value> {
    let parts = partitions()?;
    let chosen = parts
        .partitions
        .iter()
        .find(|p| p.regions.contains_key(region))
        .or_else(|| {
            parts
                .partitions
                .iter()
                .find(|p| regex_match(&p.region_regex, region))
        })
        .or_else(|| parts.partitions.iter().find(|p| p.id == "aws"))?;
    let mut outputs = chosen.outputs.clone();
    if let Some(Json::Object(over)) = chosen.regions.get(region).and_then(|r| r.get("outputs")) {
        outputs.extend(over.clone());
    }
    let mut obj = BTreeMap::new();
    obj.extend(
        outputs
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), Value::from_json(v)?))),
    );
    obj.entry("name".into())
        .or_insert_with(|| Value::Str(chosen.id.clone()));
    Some(Value::Object(obj))
}

/// The DNS suffix of the partition a region belongs to (`amazonaws.com`), for clients
/// built from models without a rule set.
pub fn dns_suffix(region: &str) -> Option<String> {
    match partition(region)? {
        Value::Object(o) => match o.get("dnsSuffix") {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

// ---- a small regular-expression matcher for the partition patterns -----------------------
// Supports what `regionRegex` uses: anchors, literals, `\` escapes, `\w`, `\d`, `\s`, `.`,
// groups with `|`, and the quantifiers `+`, `*`, `?`. Anything else fails to match.

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Word,
    Digit,
    Space,
    Group(Vec<Vec<(Node, Rep)>>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rep {
    One,
    Plus,
    Star,
    Opt,
}

fn regex_match(pattern: &str, s: &str) -> bool {
    let p = pattern.strip_prefix('^').unwrap_or(pattern);
    let (p, anchored_end) = match p.strip_suffix('$') {
        Some(x) if !x.ends_with('\\') => (x, true),
        _ => (p, false),
    };
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    let Some(alts) = parse_alts(&chars, &mut i) else {
        return false;
    };
    if i != chars.len() {
        return false;
    }
    let text: Vec<char> = s.chars().collect();
    let seq = vec![(Node::Group(alts), Rep::One)];
    match_seq(&seq, &text, 0, &mut |end| {
        !anchored_end || end == text.len()
    })
}

fn parse_alts(c: &[char], i: &mut usize) -> Option<Vec<Vec<(Node, Rep)>>> {
    let mut alts = vec![Vec::new()];
    while *i < c.len() {
        let node = match c[*i] {
            ')' => break,
            '|' => {
                alts.push(Vec::new());
                *i += 1;
                continue;
            }
            '(' => {
                *i += 1;
                let inner = parse_alts(c, i)?;
                if c.get(*i) != Some(&')') {
                    return None;
                }
                Node::Group(inner)
            }
            '\\' => {
                *i += 1;
                match c.get(*i)? {
                    'w' => Node::Word,
                    'd' => Node::Digit,
                    's' => Node::Space,
                    other => Node::Char(*other),
                }
            }
            '.' => Node::Any,
            '[' | '{' | '*' | '+' | '?' => return None,
            ch => Node::Char(ch),
        };
        *i += 1;
        let rep = match c.get(*i) {
            Some('+') => Rep::Plus,
            Some('*') => Rep::Star,
            Some('?') => Rep::Opt,
            _ => Rep::One,
        };
        if rep != Rep::One {
            *i += 1;
        }
        alts.last_mut()?.push((node, rep));
    }
    Some(alts)
}

fn match_seq(
    seq: &[(Node, Rep)],
    t: &[char],
    pos: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    let Some(((node, rep), rest)) = seq.split_first() else {
        return k(pos);
    };
    let mut then = |p: usize| match_seq(rest, t, p, k);
    match rep {
        Rep::One => match_node(node, t, pos, &mut then),
        Rep::Opt => match_node(node, t, pos, &mut then) || then(pos),
        Rep::Plus | Rep::Star => {
            // Greedy: collect every end reachable by repetition, try the longest first.
            let mut ends = if *rep == Rep::Star {
                vec![pos]
            } else {
                Vec::new()
            };
            let mut frontier = vec![pos];
            while let Some(p) = frontier.pop() {
                let mut next = Vec::new();
                match_node(node, t, p, &mut |e| {
                    if e > p && !ends.contains(&e) {
                        next.push(e);
                    }
                    false
                });
                for e in next {
                    ends.push(e);
                    frontier.push(e);
                }
            }
            ends.sort_unstable_by(|a, b| b.cmp(a));
            ends.into_iter().any(then)
        }
    }
}

fn match_node(node: &Node, t: &[char], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let one = |pred: &dyn Fn(char) -> bool| t.get(pos).is_some_and(|c| pred(*c));
    match node {
        Node::Char(c) => one(&|x| x == *c) && k(pos + 1),
        Node::Any => one(&|x| x != '\n') && k(pos + 1),
        Node::Word => one(&|x| x.is_alphanumeric() || x == '_') && k(pos + 1),
        Node::Digit => one(&|x| x.is_ascii_digit()) && k(pos + 1),
        Node::Space => one(&char::is_whitespace) && k(pos + 1),
        Node::Group(alts) => alts.iter().any(|alt| match_seq(alt, t, pos, k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolved endpoints are cached by every parameter's value: a call with another
    /// bucket, or another value of any parameter, gets its own endpoint, never one cached
    /// for other values; errors are not cached; the cache stays bounded.
    #[test]
    fn the_endpoint_cache_is_keyed_by_every_parameter() {
        let resolver = Resolver::new(
            r#"{"parameters": {
                  "Bucket": {"type": "String", "required": false},
                  "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
                  "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false}},
                "rules": [
                  {"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}],
                   "error": "no region"},
                  {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}],
                   "endpoint": {"url": "https://{Bucket}.s3.{Region}.example"}},
                  {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                   "endpoint": {"url": "https://fips.{Region}.example"}},
                  {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}.example"}}]}"#,
        )
        .unwrap();
        let url = |bucket: Option<&str>, region: Option<&str>, fips: bool| {
            let mut given = serde_json::Map::new();
            if let Some(b) = bucket {
                given.insert("Bucket".into(), Json::from(b));
            }
            if let Some(r) = region {
                given.insert("Region".into(), Json::from(r));
            }
            given.insert("UseFIPS".into(), Json::from(fips));
            resolver.resolve_named(&given).map(|e| e.url)
        };
        for _ in 0..2 {
            assert_eq!(
                url(Some("a"), Some("r1"), false).unwrap(),
                "https://a.s3.r1.example"
            );
            assert_eq!(
                url(Some("b"), Some("r1"), false).unwrap(),
                "https://b.s3.r1.example"
            );
            assert_eq!(
                url(Some("a"), Some("r2"), false).unwrap(),
                "https://a.s3.r2.example"
            );
            assert_eq!(url(None, Some("r1"), false).unwrap(), "https://r1.example");
            assert_eq!(
                url(None, Some("r1"), true).unwrap(),
                "https://fips.r1.example"
            );
            // Values that would run together if the key did not separate them.
            assert_eq!(
                url(Some("r1"), Some(""), false).unwrap(),
                "https://r1.s3..example"
            );
            assert_eq!(
                url(Some(""), Some("r1"), false).unwrap(),
                "https://.s3.r1.example"
            );
            assert!(url(Some("a"), None, false).is_err());
        }
        let cached = || resolver.cache.lock().unwrap().len();
        assert_eq!(
            cached(),
            7,
            "one entry per set of values, none for the error"
        );
        for i in 0..CACHED_ENDPOINTS * 2 {
            let bucket = format!("bucket-{i}");
            let expected = format!("https://{bucket}.s3.r1.example");
            assert_eq!(url(Some(&bucket), Some("r1"), false).unwrap(), expected);
            assert!(cached() <= CACHED_ENDPOINTS);
        }
    }

    /// An unusable rule set says what is wrong with it.
    #[test]
    fn unusable_rule_sets_name_the_problem() {
        let err = |json: &str| Resolver::new(json).unwrap_err().to_string();
        for (json, says) in [
            ("[]", "the rule set is not an object"),
            ("{}", "the rule set has no `rules`"),
            (r#"{"rules":{}}"#, "`rules` of the rule set is not a list"),
            (r#"{"rules":[{"conditions":[]}]}"#, "a rule has no `type`"),
            (
                r#"{"rules":[{"type":"endpoint","endpoint":{}}]}"#,
                "an endpoint has no `url`",
            ),
            (
                r#"{"rules":[{"type":"tree","rules":[{"type":"error","conditions":[{"argv":[]}]}]}]}"#,
                "a condition has no `fn`",
            ),
            (
                r#"{"parameters":{"Region":{"required":"yes"}},"rules":[]}"#,
                "`required` of parameter `Region` is not a boolean",
            ),
            (
                r#"{"rules":[{"type":"endpoint","endpoint":{"url":"u","headers":{"h":"v"}}}]}"#,
                "header `h` is not a list",
            ),
            ("{", "EOF while parsing an object"),
        ] {
            let got = err(json);
            assert!(
                got.starts_with("endpoint rule set is unusable: ") && got.contains(says),
                "{json}: {got}"
            );
        }
        let ok = r#"{"parameters":{"Region":{"builtIn":"AWS::Region","required":true,"default":null}},
            "rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://x","headers":{"b":["2"],"a":["1"]}},"error":null}]}"#;
        let params = Params {
            region: Some("eu-west-1".into()),
            ..Default::default()
        };
        let ep = Resolver::new(ok).unwrap().resolve(&params).unwrap();
        assert_eq!(ep.url, "https://x");
        assert_eq!(
            ep.headers,
            [("a".to_string(), "1".to_string()), ("b".into(), "2".into())]
        );
    }

    #[test]
    fn targets() {
        let t = Target::new("https://dms.us-east-1.amazonaws.com", None).unwrap();
        assert_eq!(
            (t.uri.to_string().as_str(), t.host.as_str(), t.path.as_str()),
            (
                "https://dms.us-east-1.amazonaws.com/",
                "dms.us-east-1.amazonaws.com",
                "/"
            )
        );
        let t = Target::new("http://127.0.0.1:8080", Some("data-")).unwrap();
        assert_eq!(
            (t.uri.to_string().as_str(), t.host.as_str()),
            ("http://data-127.0.0.1:8080/", "data-127.0.0.1:8080")
        );
        let t = Target::new("https://example.com:443/base", None).unwrap();
        assert_eq!(
            (t.host.as_str(), t.path.as_str()),
            ("example.com", "/base/")
        );
        // A REST request's path joined as botocore's `_urljoin` joins it: S3's path-style
        // endpoint (`/bucket`) and a request of the bucket itself (`?acl`) or of a key.
        for (url, request, want) in [
            ("https://s3.amazonaws.com/b", "?acl", "/b"),
            ("https://s3.amazonaws.com/b", "/", "/b"),
            ("https://s3.amazonaws.com/b", "/k/", "/b/k/"),
            ("https://s3.amazonaws.com/b/", "/k", "/b/k"),
            ("https://b.s3.amazonaws.com", "", "/"),
            ("https://b.s3.amazonaws.com", "/a//b", "/a//b"),
            ("http://127.0.0.1:9000/base", "/things", "/base/things"),
        ] {
            let t = Target::new(url, None)
                .unwrap()
                .with_request_path(request)
                .unwrap();
            assert_eq!(t.path, want, "{url} + {request}");
        }
        assert!(Target::new("not a url", None).is_err());
        assert!(Target::new("ftp://x", None).is_err());
    }

    /// The matcher handles exactly what `partitions.json` uses: every partition's pattern
    /// matches each of its own regions (but the `-global` pseudo-regions) and no region of
    /// another partition, as Python's `re` does (checked when this test was written).
    #[test]
    fn every_partition_regex_matches_as_re_does() {
        let parts = partitions().expect("bundled partitions.json");
        for p in &parts.partitions {
            for q in &parts.partitions {
                for region in q.regions.keys().filter(|r| !r.ends_with("-global")) {
                    assert_eq!(
                        regex_match(&p.region_regex, region),
                        p.id == q.id,
                        "{} ({}) on {region} of {}",
                        p.id,
                        p.region_regex,
                        q.id
                    );
                }
            }
        }
    }

    #[test]
    fn userinfo_is_never_shown() {
        assert_eq!(
            redact_userinfo("http://user:pass@host:1/x"),
            "http://***@host:1/x"
        );
        assert_eq!(redact_userinfo("https://host/a@b"), "https://host/a@b");
        assert_eq!(redact_userinfo("host"), "host");
        let e = Target::new("ftp://user:secret@host", None).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    #[test]
    fn partition_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(regex_match(aws, "us-east-1"));
        assert!(regex_match(aws, "mx-central-1"));
        assert!(!regex_match(aws, "us-gov-west-1"));
        assert!(!regex_match(aws, "cn-north-1"));
        assert!(!regex_match(aws, "us-east-1x"));
        assert!(regex_match(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1"));
        assert!(regex_match(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(
            !regex_match(r"^[a-z]+$", "abc"),
            "unsupported syntax does not match"
        );
        assert!(regex_match(r"^a.?b*c$", "ac"));
    }

    #[test]
    fn partitions_resolve() {
        let name = |r: &str| match partition(r) {
            Some(Value::Object(o)) => o.get("name").cloned(),
            _ => None,
        };
        assert_eq!(name("us-east-1"), Some(Value::Str("aws".into())));
        assert_eq!(name("cn-north-1"), Some(Value::Str("aws-cn".into())));
        assert_eq!(name("us-gov-west-1"), Some(Value::Str("aws-us-gov".into())));
        assert_eq!(name("us-isob-east-1"), Some(Value::Str("aws-iso-b".into())));
        assert_eq!(
            name("us-east-99"),
            Some(Value::Str("aws".into())),
            "by pattern"
        );
        assert_eq!(
            name("mars-north-1"),
            Some(Value::Str("aws".into())),
            "default"
        );
        assert_eq!(
            dns_suffix("cn-north-1").as_deref(),
            Some("amazonaws.com.cn")
        );
    }

    #[test]
    fn templates() {
        let mut scope = Scope::new();
        scope.insert("Region".into(), Value::Str("us-east-1".into()));
        let mut pr = BTreeMap::new();
        pr.insert("dnsSuffix".into(), Value::Str("amazonaws.com".into()));
        scope.insert("P".into(), Value::Object(pr));
        assert_eq!(
            template("https://dms.{Region}.{P#dnsSuffix}", &scope).unwrap(),
            "https://dms.us-east-1.amazonaws.com"
        );
        assert_eq!(template("{{literal}}", &scope).unwrap(), "{literal}");
        assert!(template("{Nope}", &scope).is_err());
        assert!(template("{Region", &scope).is_err());
    }

    #[test]
    fn helpers() {
        assert!(is_valid_host_label("abc-1", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        // S3's virtual-hosted buckets (botocore's `aws_is_virtual_hostable_s3_bucket`).
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert_eq!(substring("abcdef", 0, 3, false).as_deref(), Some("abc"));
        assert_eq!(substring("abcdef", 0, 3, true).as_deref(), Some("def"));
        assert_eq!(substring("abc", 0, 9, false), None);
        let Some(Value::Object(u)) = parse_url("http://127.0.0.1:8080/base") else {
            panic!()
        };
        assert_eq!(u["authority"], Value::Str("127.0.0.1:8080".into()));
        assert_eq!(u["isIp"], Value::Bool(true));
        assert_eq!(u["normalizedPath"], Value::Str("/base/".into()));
        assert!(parse_url("ftp://x").is_none());
        let Some(Value::Object(a)) =
            parse_arn("arn:aws:dynamodb:us-east-1:123456789012:table/Music/stream/x")
        else {
            panic!()
        };
        assert_eq!(a["accountId"], Value::Str("123456789012".into()));
        assert_eq!(
            a["resourceId"],
            Value::Array(vec![
                Value::Str("table".into()),
                Value::Str("Music".into()),
                Value::Str("stream".into()),
                Value::Str("x".into())
            ])
        );
        assert!(parse_arn("arn:aws::us-east-1:1:").is_none());
        assert!(parse_arn("not-an-arn").is_none());
    }
}
