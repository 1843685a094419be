//! Default charts of accounts, one template per country (Sage-style codes,
//! as ../shared/DOMAIN.md section 2 lays them out).
//!
//! Every organization is created with the generic accounts plus those of its
//! country's tax regime, so that later documents (invoices, bills, payroll)
//! find their control and tax accounts by a stable `system_key`.

use crate::AccountType;

/// One account of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountTemplate {
    pub code: &'static str,
    pub name: &'static str,
    pub account_type: AccountType,
    pub subtype: &'static str,
    /// A stable name services use to find the account whatever the user
    /// renames it to (`accounts_receivable`, `output_cgst`, ...).
    pub system_key: &'static str,
}

const fn a(
    code: &'static str,
    name: &'static str,
    account_type: AccountType,
    subtype: &'static str,
    system_key: &'static str,
) -> AccountTemplate {
    AccountTemplate {
        code,
        name,
        account_type,
        subtype,
        system_key,
    }
}

use AccountType::{Asset, Equity, Expense, Income, Liability};

const GENERIC: &[AccountTemplate] = &[
    a(
        "0020",
        "Plant and Machinery",
        Asset,
        "fixed",
        "plant_machinery",
    ),
    a(
        "0021",
        "Plant and Machinery Accumulated Depreciation",
        Asset,
        "accumulated_depreciation",
        "plant_machinery_depreciation",
    ),
    a("1001", "Stock", Asset, "inventory", "inventory"),
    a(
        "1100",
        "Accounts Receivable",
        Asset,
        "receivable",
        "accounts_receivable",
    ),
    a("1103", "Prepayments", Asset, "prepayments", "prepayments"),
    a(
        "1200",
        "Bank Current Account",
        Asset,
        "bank",
        "bank_current",
    ),
    a(
        "1210",
        "Bank Deposit Account",
        Asset,
        "bank",
        "bank_deposit",
    ),
    a("1230", "Petty Cash", Asset, "cash", "petty_cash"),
    a(
        "1240",
        "Undeposited Funds",
        Asset,
        "current",
        "undeposited_funds",
    ),
    a(
        "2100",
        "Accounts Payable",
        Liability,
        "payable",
        "accounts_payable",
    ),
    a("2109", "Accruals", Liability, "current", "accruals"),
    a(
        "2150",
        "Credit Card",
        Liability,
        "credit_card",
        "credit_card",
    ),
    a(
        "2210",
        "Income Tax Withheld",
        Liability,
        "payroll",
        "income_tax_withheld",
    ),
    a(
        "2211",
        "Social Security Payable",
        Liability,
        "payroll",
        "social_security_payable",
    ),
    a(
        "2220",
        "Net Wages Payable",
        Liability,
        "payroll",
        "net_wages_payable",
    ),
    a(
        "2250",
        "Customer Advances",
        Liability,
        "current",
        "customer_advances",
    ),
    a("2300", "Loans", Liability, "non_current", "loans"),
    a("3000", "Share Capital", Equity, "equity", "share_capital"),
    a(
        "3100",
        "Opening Balance Equity",
        Equity,
        "equity",
        "opening_balance_equity",
    ),
    a(
        "3200",
        "Retained Earnings",
        Equity,
        "retained_earnings",
        "retained_earnings",
    ),
    a("4000", "Sales", Income, "income", "sales"),
    a(
        "4009",
        "Sales Discounts",
        Income,
        "income",
        "sales_discounts",
    ),
    a(
        "4900",
        "Other Income",
        Income,
        "other_income",
        "other_income",
    ),
    a(
        "5000",
        "Cost of Sales",
        Expense,
        "direct_cost",
        "cost_of_sales",
    ),
    a(
        "5009",
        "Purchase Discounts",
        Expense,
        "direct_cost",
        "purchase_discounts",
    ),
    a("7000", "Gross Wages", Expense, "expense", "gross_wages"),
    a(
        "7006",
        "Employer Payroll Taxes",
        Expense,
        "expense",
        "employer_payroll_taxes",
    ),
    a(
        "7900",
        "Bank Charges and Interest",
        Expense,
        "expense",
        "bank_charges",
    ),
    a(
        "7906",
        "Exchange Rate Variance",
        Expense,
        "other_expense",
        "fx_variance",
    ),
    a(
        "7907",
        "Unrealized Exchange Gain/Loss",
        Expense,
        "other_expense",
        "fx_unrealized",
    ),
    a(
        "8000",
        "Depreciation",
        Expense,
        "depreciation",
        "depreciation",
    ),
    a("8100", "Bad Debts", Expense, "expense", "bad_debts"),
    a("9998", "Rounding", Expense, "other_expense", "round_off"),
    a("9999", "Suspense", Expense, "other_expense", "suspense"),
];

const INDIA: &[AccountTemplate] = &[
    a("1300", "Input CGST", Asset, "tax", "input_cgst"),
    a("1301", "Input SGST", Asset, "tax", "input_sgst"),
    a("1302", "Input IGST", Asset, "tax", "input_igst"),
    a("1303", "Input Cess", Asset, "tax", "input_cess"),
    a("2205", "Output CGST", Liability, "tax", "output_cgst"),
    a("2206", "Output SGST", Liability, "tax", "output_sgst"),
    a("2207", "Output IGST", Liability, "tax", "output_igst"),
    a("2208", "Output Cess", Liability, "tax", "output_cess"),
    a(
        "2209",
        "GST RCM Payable",
        Liability,
        "tax",
        "gst_rcm_payable",
    ),
    a(
        "8200",
        "GST Expense (Ineligible ITC)",
        Expense,
        "expense",
        "gst_expense",
    ),
];

const UK: &[AccountTemplate] = &[
    a("1304", "Input VAT", Asset, "tax", "input_vat"),
    a("2200", "VAT on Sales", Liability, "tax", "vat_on_sales"),
    a(
        "2201",
        "VAT on Purchases",
        Liability,
        "tax",
        "vat_on_purchases",
    ),
    a("2202", "VAT Liability", Liability, "tax", "vat_liability"),
];

const US: &[AccountTemplate] = &[a(
    "2230",
    "Sales Tax Payable",
    Liability,
    "tax",
    "sales_tax_payable",
)];

/// The accounts an organization in `country` (ISO 3166 alpha-2) starts with.
pub fn template_for(country: &str) -> Vec<AccountTemplate> {
    let extra: &[AccountTemplate] = match country {
        "IN" => INDIA,
        "GB" | "UK" => UK,
        "US" => US,
        _ => &[],
    };
    let mut all: Vec<AccountTemplate> = GENERIC.iter().chain(extra).copied().collect();
    all.sort_by_key(|t| t.code);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn templates_are_consistent() {
        for c in ["IN", "GB", "US", "DE"] {
            let t = template_for(c);
            let codes: HashSet<_> = t.iter().map(|a| a.code).collect();
            let keys: HashSet<_> = t.iter().map(|a| a.system_key).collect();
            assert_eq!(codes.len(), t.len(), "duplicate code in {c}");
            assert_eq!(keys.len(), t.len(), "duplicate key in {c}");
            for acc in &t {
                acc.account_type
                    .subtype(Some(acc.subtype))
                    .unwrap_or_else(|e| panic!("{c} {}: {e}", acc.code));
            }
        }
        assert!(
            template_for("IN")
                .iter()
                .any(|a| a.system_key == "output_igst")
        );
        assert!(
            template_for("GB")
                .iter()
                .any(|a| a.system_key == "vat_on_sales")
        );
        assert!(
            !template_for("US")
                .iter()
                .any(|a| a.system_key == "vat_on_sales")
        );
    }
}
