//! Areas: the access packages of Altinn's "Helse, pleie, omsorg og vern",
//! used both as the sectors notices are tagged with and as editor permissions.

use serde::Serialize;

use super::slug::slugify;

/// One access package, with its names and descriptions exactly as the source has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    pub slug: String,
    pub name: String,
    /// `None` where the source says "(mangler)".
    pub description: Option<String>,
    pub parent: Option<String>,
    /// "Kan knytte tjenester til?": notices may be tagged with it.
    pub linkable: bool,
    /// "Kan delegeres til ansatte?": it may be granted to an editor token.
    pub delegable: bool,
    /// Roles from Enhetsregisteret that hold the package (DAGL, LEDE, …).
    pub er_roles: Vec<String>,
}

/// The whole set of areas, in the source document's order.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    areas: Vec<Area>,
}

impl Taxonomy {
    pub fn new(areas: Vec<Area>) -> Self {
        Self { areas }
    }

    pub fn all(&self) -> &[Area] {
        &self.areas
    }

    pub fn get(&self, slug: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.slug == slug)
    }

    /// The slug itself and every package below it: a filter on a parent
    /// package matches notices tagged with any of its sub-packages.
    pub fn with_descendants(&self, slug: &str) -> Vec<String> {
        let mut found = vec![slug.to_owned()];
        let mut i = 0;
        while i < found.len() {
            let current = found[i].clone();
            found.extend(
                self.areas
                    .iter()
                    .filter(|a| a.parent.as_deref() == Some(current.as_str()))
                    .map(|a| a.slug.clone()),
            );
            i += 1;
        }
        found
    }
}

/// The source document's marker for a missing description.
const MISSING: &str = "(mangler)";

/// Reads the access-package page: the bullet list gives names, descriptions
/// and nesting; the properties table gives delegable, linkable and ER roles.
///
/// A package that the table does not list gets neither property: permissions
/// must be stated, never assumed.
pub fn parse_access_packages(document: &str) -> Result<Vec<Area>, String> {
    let mut areas: Vec<Area> = Vec::new();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for line in document.lines() {
        let depth = line.chars().take_while(|c| *c == '\t').count();
        let Some(item) = line.trim_start_matches('\t').strip_prefix("- **") else {
            continue;
        };
        let (name, description) = item
            .split_once(":**")
            .ok_or_else(|| format!("package line without a name: {line}"))?;
        let description = description.trim();
        parents.retain(|(d, _)| *d < depth);
        let slug = slugify(name);
        areas.push(Area {
            slug: slug.clone(),
            name: name.to_owned(),
            description: (description != MISSING && !description.is_empty())
                .then(|| description.to_owned()),
            parent: parents.last().map(|(_, s)| s.clone()),
            linkable: false,
            delegable: false,
            er_roles: Vec::new(),
        });
        parents.push((depth, slug));
    }
    for row in document.lines().filter(|l| l.starts_with('|')) {
        let inner = row.strip_prefix('|').unwrap_or(row);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
        let [name, delegable, linkable, roles] = cells[..] else {
            continue;
        };
        let Some(area) = areas.iter_mut().find(|a| a.name == name) else {
            continue; // the header and separator rows
        };
        area.delegable = yes(delegable, name)?;
        area.linkable = yes(linkable, name)?;
        area.er_roles = roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if areas.is_empty() {
        return Err("no access packages found".into());
    }
    Ok(areas)
}

fn yes(cell: &str, name: &str) -> Result<bool, String> {
    match cell {
        "ja" => Ok(true),
        "nei" => Ok(false),
        other => Err(format!("{name}: expected ja or nei, found {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = include_str!("../../seeds/tilgangspakke-helse-pleie-omsorg-og-vern.md");

    fn areas() -> Vec<Area> {
        parse_access_packages(SOURCE).unwrap()
    }

    #[test]
    fn the_top_package_is_the_parent_and_not_linkable() {
        let areas = areas();
        assert_eq!(areas.len(), 7);
        let top = &areas[0];
        assert_eq!(top.slug, "helse-pleie-omsorg-og-vern");
        assert_eq!(top.name, "Helse, pleie, omsorg og vern");
        assert!(!top.linkable);
        assert!(top.delegable);
        assert!(top.parent.is_none());
        assert!(top.er_roles.is_empty());
        assert!(areas[1..]
            .iter()
            .all(|a| a.parent.as_deref() == Some("helse-pleie-omsorg-og-vern")));
    }

    #[test]
    fn names_descriptions_and_roles_are_kept_exactly() {
        let areas = areas();
        let kommuneoverlege = areas.iter().find(|a| a.slug == "kommuneoverlege").unwrap();
        assert_eq!(kommuneoverlege.description, None);
        assert!(kommuneoverlege.linkable && kommuneoverlege.delegable);
        assert_eq!(
            kommuneoverlege.er_roles,
            ["DAGL", "LEDE", "INNH", "DTPR", "DTSO", "KOMP", "BEST", "REPR", "BOBE"]
        );
        let sosiale = areas
            .iter()
            .find(|a| a.slug == "sosiale-omsorgstjenester-uten-botilbud-og-flykningemottak")
            .unwrap();
        assert_eq!(
            sosiale.name,
            "Sosiale omsorgstjenester uten botilbud og flykningemottak"
        );
        assert!(sosiale.description.as_deref().unwrap().starts_with(
            "Denne fullmakten gir tilgang til alle tjenester knyttet til sosiale omsorgstjeneser"
        ));
    }

    #[test]
    fn a_package_missing_from_the_table_gets_no_permissions() {
        let areas = areas();
        let special = areas
            .iter()
            .find(|a| a.name == "Helsetjenester med persnopplysninger av særlig kategori")
            .unwrap();
        assert_eq!(
            special.slug,
            "helsetjenester-med-persnopplysninger-av-saerlig-kategori"
        );
        assert!(!special.linkable && !special.delegable);
    }

    #[test]
    fn a_parent_filter_covers_its_children() {
        let taxonomy = Taxonomy::new(areas());
        assert_eq!(
            taxonomy
                .with_descendants("helse-pleie-omsorg-og-vern")
                .len(),
            7
        );
        assert_eq!(
            taxonomy.with_descendants("helsetjenester"),
            ["helsetjenester"]
        );
    }
}
