-- An expense an employee paid out of pocket names the employee, who is
-- reimbursed when it is paid.
ALTER TABLE documents ADD COLUMN employee_id TEXT;
CREATE INDEX documents_employee ON documents (organization_id, employee_id)
    WHERE employee_id IS NOT NULL;
