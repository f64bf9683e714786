"""Forms of the editor pages (validation only: the writes are in :mod:`articles.editing`)."""

from __future__ import annotations

from django import forms

from spending.models import (
    ALLY_METRICS,
    FIRST_YEAR,
    LAST_YEAR,
    MemberState,
    Metric,
    SpendingFigure,
    Target,
)

from .models import ReviewStatus, Speaker, Verdict


class VersionedForm(forms.Form):
    """A form that edits one object: ``version`` (hidden) is the version the editor saw, so a
    save over someone else's change is refused (:class:`articles.editing.EditConflict`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class SpeakerChoiceForm(VersionedForm):
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.order_by("name"),
        required=False,
        empty_label="— unattributed —",
        label="Speaker",
    )


class NewSpeakerForm(VersionedForm):
    name = forms.CharField(max_length=200, label="Name")
    role = forms.CharField(max_length=300, required=False, label="Role")
    aliases = forms.CharField(
        max_length=500,
        required=False,
        label="Short names the press uses",
        help_text="Comma separated, e.g. “Hegseth, Pete Hegseth”.",
    )

    def clean_aliases(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data["aliases"].split(",") if a.strip()]


class AboutForm(VersionedForm):
    members = forms.ModelMultipleChoiceField(
        queryset=MemberState.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Allies",
    )
    targets = forms.ModelMultipleChoiceField(
        queryset=Target.objects.order_by("display_order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Targets",
    )


class LinkForm(VersionedForm):
    """A link to a suggested figure (``figure``), a target, or a figure chosen by ally and year
    (the figure in force in the latest edition)."""

    figure = forms.ModelChoiceField(
        queryset=SpendingFigure.objects.all(), required=False, widget=forms.HiddenInput
    )
    target = forms.ModelChoiceField(
        queryset=Target.objects.order_by("display_order"),
        to_field_name="code",
        required=False,
        label="Target",
    )
    member = forms.ModelChoiceField(
        queryset=MemberState.objects.order_by("name"), required=False, label="Ally"
    )
    year = forms.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, label="Year"
    )
    # An ally's metrics only: constant-2021-price spending is held for the alliance totals.
    metric = forms.ChoiceField(
        choices=[(m.value, m.label) for m in ALLY_METRICS], initial=Metric.PCT_GDP, required=False
    )
    note = forms.CharField(max_length=500, required=False, label="Note")

    def clean(self):
        from spending.selectors import current_figure

        data = super().clean()
        if not data.get("figure") and data.get("member"):
            if not data.get("year"):
                if "year" in self.errors:  # given, but not a year: that error says why
                    return data
                raise forms.ValidationError("Give the year of the ally's figure.")
            figure = current_figure(
                data["member"], data["year"], data.get("metric") or Metric.PCT_GDP
            )
            if figure is None:
                raise forms.ValidationError(
                    f"NATO publishes no such figure for {data['member'].name_in_text} in "
                    f"{data['year']}."
                )
            data["figure"] = figure
        if not data.get("figure") and not data.get("target"):
            raise forms.ValidationError("Choose a figure, a target or both.")
        return data


class StatusForm(VersionedForm):
    status = forms.ChoiceField(choices=ReviewStatus.choices)


class VerdictForm(VersionedForm):
    verdict = forms.ChoiceField(
        choices=[("", "Confirm the automatic verdict"), *Verdict.choices],
        required=False,
        label="Verdict",
    )
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )
