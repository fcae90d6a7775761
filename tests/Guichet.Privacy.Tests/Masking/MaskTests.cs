using Guichet.Privacy.Access;
using Guichet.Privacy.Classification;
using Guichet.Privacy.Masking;

namespace Guichet.Privacy.Tests.Masking;

public class MaskTests
{
    [Theory]
    [InlineData(PersonalDataCategory.Phone, "+8613812345678", "138****5678")]
    [InlineData(PersonalDataCategory.Phone, "+861065529988", "106****9988")]
    [InlineData(PersonalDataCategory.Phone, "+33612345678", "+33 612****5678")]
    [InlineData(PersonalDataCategory.NationalId, "110101199003071234", "110101********1234")]
    [InlineData(PersonalDataCategory.Name, "张三", "张*")]
    [InlineData(PersonalDataCategory.Name, "张三丰", "张**")]
    [InlineData(PersonalDataCategory.Name, "欧阳娜娜", "欧阳**")]
    [InlineData(PersonalDataCategory.Name, "司马光", "司马*")]
    [InlineData(PersonalDataCategory.Name, "John Smith", "J. S****")]
    [InlineData(PersonalDataCategory.Name, "Mary Ann Smith", "M. S****")]
    [InlineData(PersonalDataCategory.Name, "Test", "T***")]
    [InlineData(PersonalDataCategory.Email, "test.person@example.com", "t***@example.com")]
    [InlineData(PersonalDataCategory.BirthDate, "1990-03-07", "1990-**-**")]
    [InlineData(PersonalDataCategory.Address, "北京市东城区测试路1号", "北京市东城区******")]
    [InlineData(PersonalDataCategory.FreeText, "Called about a test matter", "******")]
    public void Every_category_has_its_mask(PersonalDataCategory category, string value, string expected) =>
        Assert.Equal(expected, Masks.Mask(category, value));

    [Fact]
    public void Policy_masks_for_counter_staff_and_hides_from_administrators()
    {
        Assert.Equal(FieldAccess.Masked, PersonalDataPolicy.For(StaffRole.CounterStaff, PersonalDataCategory.Phone));
        Assert.Equal(FieldAccess.MaskedMayReveal, PersonalDataPolicy.For(StaffRole.ServiceAgent, PersonalDataCategory.Phone));
        Assert.Equal(FieldAccess.MaskedMayReveal, PersonalDataPolicy.For(StaffRole.PrivacyOfficer, PersonalDataCategory.NationalId));
        Assert.Equal(FieldAccess.None, PersonalDataPolicy.For(StaffRole.CounterStaff, PersonalDataCategory.FreeText));
        foreach (var category in Enum.GetValues<PersonalDataCategory>())
        {
            Assert.Equal(FieldAccess.None, PersonalDataPolicy.For(StaffRole.Administrator, category));
            Assert.Equal(FieldAccess.None, PersonalDataPolicy.For(StaffRole.Operator, category));
            Assert.Equal(FieldAccess.None, PersonalDataPolicy.For(StaffRole.SecurityAuditor, category));
            Assert.Equal(FieldAccess.None, PersonalDataPolicy.For(StaffRole.BranchManager, category));
            Assert.False(PersonalDataPolicy.MayReveal(StaffRole.CounterStaff, category));
        }
    }
}
