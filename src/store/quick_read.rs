//! What the values a list reads most share: a wrapper that reads its column
//! on SQLite in a way of its own (`stamp`, `text`) and on PostgreSQL as Diesel
//! does, for a field to name in `#[diesel(deserialize_as = …)]`, with the same
//! for a nullable column.

/// The impls of `$value` (a column of `$sql`, read as `$rust`) and `$maybe`
/// (the nullable column) besides `FromSql<$sql, Sqlite> for $value`, which
/// the module writes itself.
macro_rules! read_quickly_on_sqlite {
    ($value:ident, $maybe:ident, $sql:ty, $rust:ty) => {
        impl diesel::deserialize::FromSql<$sql, diesel::pg::Pg> for $value {
            fn from_sql(
                value: <diesel::pg::Pg as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                <$rust as diesel::deserialize::FromSql<$sql, diesel::pg::Pg>>::from_sql(value)
                    .map($value)
            }
        }

        impl diesel::deserialize::FromSql<$sql, $crate::store::MultiBackend> for $value {
            fn from_sql(
                value: <$crate::store::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                value.from_sql::<Self, $sql>()
            }
        }

        impl
            diesel::deserialize::FromSql<
                diesel::sql_types::Nullable<$sql>,
                $crate::store::MultiBackend,
            > for $maybe
        {
            fn from_sql(
                value: <$crate::store::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let $value(read) = <$value as diesel::deserialize::FromSql<
                    $sql,
                    $crate::store::MultiBackend,
                >>::from_sql(value)?;
                Ok($maybe(Some(read)))
            }

            fn from_nullable_sql(
                value: Option<
                    <$crate::store::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
                >,
            ) -> diesel::deserialize::Result<Self> {
                match value {
                    Some(value) => Self::from_sql(value),
                    None => Ok($maybe(None)),
                }
            }
        }

        impl From<$value> for $rust {
            fn from(read: $value) -> Self {
                read.0
            }
        }

        impl From<$maybe> for Option<$rust> {
            fn from(read: $maybe) -> Self {
                read.0
            }
        }
    };
}

pub(super) use read_quickly_on_sqlite;
