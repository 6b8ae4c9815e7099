//! A labelled form input with room for its error, and the error type forms share.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::ApiError;

/// What went wrong with a form: at one field (`param` is the API's field name) or overall.
#[derive(Debug, Clone, PartialEq)]
pub struct FormError {
    pub param: Option<String>,
    pub message: String,
}

impl FormError {
    pub fn at(param: &str, message: impl ToString) -> Self {
        Self { param: Some(param.to_owned()), message: message.to_string() }
    }

    /// The message for `param`, if the error is about that field.
    pub fn for_field(error: &Option<FormError>, param: &str) -> Option<AttrValue> {
        error.as_ref().filter(|e| e.param.as_deref() == Some(param)).map(|e| AttrValue::from(e.message.clone()))
    }

    /// The message when it is about none of `fields`.
    pub fn general(error: &Option<FormError>, fields: &[&str]) -> Option<String> {
        error.as_ref().filter(|e| e.param.as_deref().is_none_or(|p| !fields.contains(&p))).map(|e| e.message.clone())
    }
}

impl From<ApiError> for FormError {
    fn from(error: ApiError) -> Self {
        Self { param: error.param().map(str::to_owned), message: error.to_string() }
    }
}

/// The current text of an input.
pub fn value_of(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub node: NodeRef,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub value: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(Field)]
pub fn field(props: &FieldProps) -> Html {
    let error_id = format!("{}-error", props.id);
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input
                id={props.id.clone()}
                type={props.kind.clone()}
                ref={props.node.clone()}
                value={props.value.clone()}
                placeholder={props.placeholder.clone()}
                autocomplete={props.autocomplete.clone()}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={props.error.is_some().then(|| error_id.clone())}
            />
            if let Some(hint) = &props.hint {
                <p class="hint">{ hint.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p class="field-error error" id={error_id}>{ error.clone() }</p>
            }
        </div>
    }
}
