//! "Kino understood: ...": what kino-2's prompt reader found in the prompt, slot by slot, with
//! a way to correct the main object's kind and colour and the clip's setting and style before
//! generating. The corrected slots travel with the request instead of the reader's.

use kino_core::scene::{Colour, ObjectKind, Setting, Style};
use kino_core::slots::{ClipSlots, ObjectSlot};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UnderstoodProps {
    /// What the reader found (or the person's corrections so far).
    pub slots: ClipSlots,
    /// Called with the slots after each correction.
    pub on_correct: Callback<ClipSlots>,
    /// Whether the slots were corrected by hand (then they replace the reader's).
    pub corrected: bool,
}

/// `value`'s place in `all`.
fn position<T: PartialEq>(all: &[T], value: T) -> Option<usize> {
    all.iter().position(|a| *a == value)
}

/// One `<select>` over `values`, with "(any)" for a slot left open.
fn choice<T: Copy + PartialEq + 'static>(
    id: &'static str,
    label: &'static str,
    values: &[(T, &'static str)],
    current: Option<T>,
    on_pick: Callback<Option<T>>,
) -> Html {
    let options = values.to_vec();
    let onchange = {
        let options = options.clone();
        Callback::from(move |event: Event| {
            let picked = event.target_dyn_into::<HtmlSelectElement>().map(|el| el.value()).unwrap_or_default();
            on_pick.emit(options.iter().find(|(_, name)| *name == picked).map(|(v, _)| *v));
        })
    };
    html! {
        <label class="slot">{ label }
            <select id={id} {onchange}>
                <option value="" selected={current.is_none()}>{ "(any)" }</option>
                { for options.iter().map(|(v, name)| html! { <option value={*name} selected={current == Some(*v)}>{ *name }</option> }) }
            </select>
        </label>
    }
}

#[function_component(Understood)]
pub fn understood(props: &UnderstoodProps) -> Html {
    let editing = use_state(|| false);
    // The slots with a main object to correct, even when the reader found none.
    let mut base = props.slots.clone();
    if base.objects.is_empty() {
        base.objects.push(ObjectSlot::default());
    }
    let main = base.objects[0];
    let pick = |edit: fn(&mut ClipSlots, Option<usize>)| {
        let (on, base) = (props.on_correct.clone(), base.clone());
        Callback::from(move |index: Option<usize>| {
            let mut next = base.clone();
            edit(&mut next, index);
            on.emit(next);
        })
    };
    let kinds: Vec<(usize, &'static str)> = ObjectKind::ALL.iter().enumerate().map(|(i, k)| (i, k.noun())).collect();
    let colours: Vec<(usize, &'static str)> = Colour::ALL.iter().enumerate().map(|(i, c)| (i, c.name())).collect();
    let settings: Vec<(usize, &'static str)> = Setting::ALL.iter().enumerate().map(|(i, s)| (i, s.phrase())).collect();
    let styles: Vec<(usize, &'static str)> = Style::ALL.iter().enumerate().map(|(i, s)| (i, s.phrase())).collect();
    let on_kind = pick(|s, i| s.objects[0].kind = i.map(|i| ObjectKind::ALL[i]));
    let on_colour = pick(|s, i| s.objects[0].colour = i.map(|i| Colour::ALL[i]));
    let on_setting = pick(|s, i| {
        s.setting = i.map(|i| Setting::ALL[i]);
        s.floor = None;
    });
    let on_style = pick(|s, i| s.style = i.map(|i| Style::ALL[i]));
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(!*editing))
    };
    html! {
        <div class="understood" id="create-understood">
            <p>
                <strong>{ if props.corrected { "You asked for: " } else { "Kino understood: " } }</strong>
                <span id="create-understood-text">{ props.slots.describe() }</span>
                { " " }
                <button type="button" class="link" id="create-correct" onclick={toggle}>{ if *editing { "Done" } else { "Correct" } }</button>
            </p>
            if *editing {
                <div class="slots">
                    { choice("slot-kind", "Object", &kinds, main.kind.and_then(|k| position(&ObjectKind::ALL, k)), on_kind) }
                    { choice("slot-colour", "Colour", &colours, main.colour.and_then(|c| position(&Colour::ALL, c)), on_colour) }
                    { choice("slot-setting", "Place", &settings, props.slots.setting.and_then(|s| position(&Setting::ALL, s)), on_setting) }
                    { choice("slot-style", "Style", &styles, props.slots.style.and_then(|s| position(&Style::ALL, s)), on_style) }
                </div>
            }
        </div>
    }
}
