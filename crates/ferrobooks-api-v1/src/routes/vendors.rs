//! `/api/v1/vendors`: the people and companies the organization buys from.

use ferrobooks_service::contacts::Party;

use super::contacts::contact_routes;
use crate::envelope::List;
use crate::views::contacts::{VendorInput, VendorView};

contact_routes! {
    party: Party::Vendor,
    tag: "vendors",
    list_path: "/api/v1/vendors",
    item_path: "/api/v1/vendors/{id}",
    read: "vendors:read",
    write: "vendors:write",
    view: VendorView,
    input: VendorInput,
    create_body: crate::openapi::VendorCreate,
    fields: crate::views::contacts::VENDOR_FIELDS,
    noun: "vendor",
    create_description: "`name` is required. For an Indian organization `tax_id` must be a valid GSTIN (its state becomes the default `source_of_supply`) and `source_of_supply` a GST state code; for a US organization `tax_id` is the vendor's TIN (EIN `12-3456789` or SSN `123-45-6789`) and `track_1099` marks it for 1099 reporting. `balance` is what the organization owes the vendor. Emits `vendor.created`.",
    update_description: "Absent fields stay as they are. The currency of a vendor with transactions cannot change (409). Emits `vendor.updated`.",
    delete_description: "A vendor named on any journal line cannot be deleted (409). A deleted vendor answers 404. Emits `vendor.deleted`.",
}
