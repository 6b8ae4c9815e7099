//! The owner's choice of who sees a finished video: draft (only me), private, followers or
//! public.

use kino_core::api::Visibility;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api;

#[derive(Properties, PartialEq)]
pub struct PublishControlProps {
    pub video_id: AttrValue,
    pub visibility: Visibility,
}

const CHOICES: [(Visibility, &str); 4] =
    [(Visibility::Draft, "Draft (only me)"), (Visibility::Private, "Private"), (Visibility::Followers, "Followers"), (Visibility::Public, "Public")];

#[function_component(PublishControl)]
pub fn publish_control(props: &PublishControlProps) -> Html {
    let current = use_state(|| props.visibility);
    let status = use_state(|| None::<Result<String, String>>);
    let select = use_node_ref();
    let save = {
        let (id, current, status, select) = (props.video_id.clone(), current.clone(), status.clone(), select.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(choice) = select.cast::<HtmlSelectElement>().and_then(|s| Visibility::parse(&s.value())) else {
                return;
            };
            let (id, current, status) = (id.clone(), current.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::posts::publish(&id, choice).await {
                    Ok(card) => {
                        current.set(card.visibility);
                        status.set(Some(Ok(if card.visibility == Visibility::Draft {
                            "Unpublished".to_owned()
                        } else {
                            format!("Published: {}", card.visibility.as_str())
                        })));
                    }
                    Err(error) => status.set(Some(Err(error.to_string()))),
                }
            });
        })
    };
    let id = format!("publish-{}", props.video_id);
    html! {
        <div class="row publish">
            <label for={id.clone()}>{ "Who sees it" }</label>
            <select id={id} class="publish-visibility" ref={select}>
                { for CHOICES.iter().map(|(v, label)| html! { <option value={v.as_str()} selected={*v == *current}>{ *label }</option> }) }
            </select>
            <button class="publish-button" onclick={save}>{ "Save" }</button>
            { match &*status {
                Some(Ok(text)) => html! { <span class="hint publish-status">{ text }</span> },
                Some(Err(text)) => html! { <span class="error">{ text }</span> },
                None => html! {},
            } }
        </div>
    }
}
