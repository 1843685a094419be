//! `/api/v1/customers`: the people and companies the organization sells to.

use ferrobooks_service::contacts::Party;

use super::contacts::contact_routes;
use crate::envelope::List;
use crate::views::contacts::{CustomerInput, CustomerView};

contact_routes! {
    party: Party::Customer,
    tag: "customers",
    list_path: "/api/v1/customers",
    item_path: "/api/v1/customers/{id}",
    read: "customers:read",
    write: "customers:write",
    view: CustomerView,
    input: CustomerInput,
    create_body: crate::openapi::CustomerCreate,
    fields: &[],
    noun: "customer",
    create_description: "`name` is required. For an Indian organization `tax_id` must be a valid GSTIN (its state becomes the default place of supply) and `place_of_supply` a GST state code. Emits `customer.created`.",
    update_description: "Absent fields stay as they are. The currency of a customer with transactions cannot change (409). Emits `customer.updated`.",
    delete_description: "A customer named on any journal line or document cannot be deleted (409). A deleted customer answers 404. Emits `customer.deleted`.",
}
